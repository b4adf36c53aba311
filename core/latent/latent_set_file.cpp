// SPDX-License-Identifier: GPL-3.0-or-later
#include "latent/latent_set_file.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "common/atomic_file.h"

namespace latentlab {
namespace {

constexpr const char* kFormat = "latentlab-latents";
constexpr int kVersion = 1;
constexpr int kIndent = 1;  // readable, yet vectors of 100 floats stay compact enough
constexpr double kMaxTruncation = 4.0;    // as the CLI's --truncation range
constexpr std::int64_t kMaxNz = 4096;     // as ModelConfig's widest latent

using nlohmann::json;

// True when `value` is a JSON integer in [low, high] (stored in `out`).
// Anything else, a float included, is refused without being converted: an
// out-of-range double converted to an integer is undefined behaviour.
bool integer_in(const json& value, std::int64_t low, std::int64_t high, std::int64_t& out) {
    if (value.is_number_unsigned()) {
        const std::uint64_t u = value.get<std::uint64_t>();
        if (high < 0 || u > static_cast<std::uint64_t>(high)) return false;
        out = static_cast<std::int64_t>(u);
    } else if (value.is_number_integer()) {
        out = value.get<std::int64_t>();
    } else {
        return false;
    }
    return out >= low && out <= high;
}

// Length shared by every vector of the set; 0 when there are none.
std::size_t common_length(const LatentSet& set) {
    std::size_t nz = 0;
    const auto check = [&](const LatentEntry& e, const std::string& where) {
        if (e.vector.empty()) throw Error(where + " has an empty vector");
        if (nz == 0) nz = e.vector.size();
        if (e.vector.size() != nz)
            throw Error(where + " has " + std::to_string(e.vector.size()) + " values, others " + std::to_string(nz));
    };
    for (int g = 0; g < LatentSet::kGroups; ++g)
        for (std::size_t i = 0; i < set.groups[g].size(); ++i)
            check(set.groups[g][i], std::string("group ") + group_letter(g) + " entry " + std::to_string(i + 1));
    for (std::size_t i = 0; i < set.keyframes.size(); ++i) check(set.keyframes[i], "keyframe " + std::to_string(i + 1));
    return nz;
}

json entries_to_json(const std::vector<LatentEntry>& entries) {
    json list = json::array();
    for (const LatentEntry& e : entries)
        list.push_back({{"ref", e.ref ? json(e.ref->to_string()) : json(nullptr)}, {"vector", e.vector}});
    return list;
}

std::vector<LatentEntry> entries_from_json(const json& list, const std::string& where, std::int64_t& nz) {
    if (!list.is_array()) throw Error("'" + where + "' is not a list");
    std::vector<LatentEntry> out;
    for (std::size_t i = 0; i < list.size(); ++i) {
        const json& item = list[i];
        const std::string name = where + " entry " + std::to_string(i + 1);
        if (!item.is_object() || !item.contains("vector")) throw Error(name + " has no vector");
        LatentEntry e;
        if (item.contains("ref") && !item["ref"].is_null()) {
            if (!item["ref"].is_string()) throw Error(name + ": ref is not a string");
            e.ref = parse_latent_ref(item["ref"].get<std::string>());
        }
        const json& v = item["vector"];
        if (!v.is_array() || v.empty()) throw Error(name + ": vector is not a list of numbers");
        for (const json& x : v) {
            if (!x.is_number()) throw Error(name + ": vector holds something that is not a number");
            // As a double first: converting a double beyond float's range to
            // float is undefined behaviour.
            const double value = x.get<double>();
            if (!std::isfinite(value)) throw Error(name + ": vector holds a value that is not finite");
            if (std::fabs(value) > static_cast<double>(std::numeric_limits<float>::max()))
                throw Error(name + ": vector value " + x.dump() + " does not fit in a float");
            e.vector.push_back(static_cast<float>(value));
        }
        if (nz > 0 && static_cast<std::int64_t>(e.vector.size()) != nz)
            throw Error(name + ": vector has " + std::to_string(e.vector.size()) + " values, expected nz = " +
                        std::to_string(nz));
        nz = static_cast<std::int64_t>(e.vector.size());
        out.push_back(std::move(e));
    }
    return out;
}

} // namespace

char group_letter(int group) { return static_cast<char>('A' + group); }

void save_latent_set(const std::string& path, const LatentSet& set) {
    json doc;
    try {
        const std::size_t nz = common_length(set);
        doc = {{"format", kFormat},         {"version", kVersion},      {"checkpoint", set.checkpoint},
               {"nz", nz},                  {"noise", to_string(set.noise)}, {"truncation", set.truncation}};
        json groups = json::object();
        for (int g = 0; g < LatentSet::kGroups; ++g) groups[std::string(1, group_letter(g))] = entries_to_json(set.groups[g]);
        doc["groups"] = groups;
        doc["keyframes"] = entries_to_json(set.keyframes);
    } catch (const Error& e) {
        throw Error(path + ": cannot save the latents: " + e.what());
    }
    write_file_atomically(path, doc.dump(kIndent) + "\n");
}

LatentSet load_latent_set(const std::string& path, std::int64_t expected_nz) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(path + ": cannot open the latents file");
    std::stringstream text;
    text << in.rdbuf();
    json doc;
    try {
        doc = json::parse(text.str());
    } catch (const json::exception& e) {  // parse_error, and out_of_range for numbers such as 1e99999
        throw Error(path + ": not valid JSON (" + std::string(e.what()) + ")");
    }
    try {
        if (!doc.is_object() || doc.value("format", std::string()) != kFormat)
            throw Error("not a LatentLab latents file (format is not '" + std::string(kFormat) + "')");
        const json version = doc.value("version", json());
        std::int64_t version_number = 0;
        if (!integer_in(version, kVersion, kVersion, version_number))
            throw Error("version " + version.dump() + " is not supported (expected " + std::to_string(kVersion) + ")");
        LatentSet set;
        set.checkpoint = doc.value("checkpoint", std::string());
        set.noise = parse_noise_kind(doc.value("noise", std::string("normal")));
        const json truncation = doc.value("truncation", json(1.0));
        if (!truncation.is_number() || !(truncation.get<double>() >= 0.0 && truncation.get<double>() <= kMaxTruncation))
            throw Error("truncation " + truncation.dump() + " is out of range (0.." + json(kMaxTruncation).dump() + ")");
        set.truncation = truncation.get<double>();
        const json nz_value = doc.value("nz", json(0));
        std::int64_t nz = 0;  // 0: not said
        if (!integer_in(nz_value, 0, kMaxNz, nz))
            throw Error("nz " + nz_value.dump() + " is out of range (0.." + std::to_string(kMaxNz) + ")");
        if (expected_nz > 0 && nz > 0 && nz != expected_nz)
            throw Error("the latents have nz = " + std::to_string(nz) + " but the generator takes nz = " +
                        std::to_string(expected_nz));
        if (expected_nz > 0) nz = expected_nz;
        if (!doc.contains("groups") || !doc["groups"].is_object()) throw Error("there are no groups");
        for (int g = 0; g < LatentSet::kGroups; ++g) {
            const std::string letter(1, group_letter(g));
            set.groups[g] = entries_from_json(doc["groups"].value(letter, json::array()), "group " + letter, nz);
        }
        set.keyframes = entries_from_json(doc.value("keyframes", json::array()), "keyframes", nz);
        return set;
    } catch (const Error& e) {
        throw Error(path + ": " + e.what());
    } catch (const json::exception& e) {
        throw Error(path + ": unexpected content (" + std::string(e.what()) + ")");
    }
}

} // namespace latentlab
