// SPDX-License-Identifier: GPL-3.0-or-later
#include "latent/latent_ref.h"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/ops/empty.h>
#include <ATen/ops/from_blob.h>
#include <ATen/ops/stack.h>

#include "common/error.h"
#include "common/splitmix.h"
#include "latent/latent_set_file.h"

namespace latentlab {
namespace {

std::uint64_t parse_unsigned(const std::string& text, const std::string& whole, const char* what) {
    if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos || text.size() > 19)
        throw Error("latent reference '" + whole + "': " + what + " '" + text + "' is not a non-negative integer (expected SEED:INDEX)");
    return std::stoull(text);
}

// The vector a FILE#INDEX reference names: [nz].
at::Tensor stored_latent(const LatentRef& ref, std::int64_t nz) {
    LatentSet set;
    try {
        set = load_latent_set(ref.file, nz);
    } catch (const Error& e) {
        throw Error("latent reference '" + ref.to_string() + "': " + e.what());
    }
    std::int64_t remaining = ref.index, total = 0;
    const LatentEntry* found = nullptr;
    const auto look_in = [&](const std::vector<LatentEntry>& entries) {
        const auto count = static_cast<std::int64_t>(entries.size());
        if (!found && remaining < count) found = &entries[static_cast<std::size_t>(remaining)];
        else if (!found) remaining -= count;
        total += count;
    };
    for (const auto& group : set.groups) look_in(group);
    look_in(set.keyframes);
    if (!found)
        throw Error("latent reference '" + ref.to_string() + "': " + ref.file + " holds " + std::to_string(total) +
                    " latent(s), so index " + std::to_string(ref.index) + " is out of range");
    return at::from_blob(const_cast<float*>(found->vector.data()), {nz}, at::kFloat).clone();
}

} // namespace

NoiseKind parse_noise_kind(const std::string& text) {
    if (text == "normal") return NoiseKind::Normal;
    if (text == "uniform") return NoiseKind::Uniform;
    throw Error("noise '" + text + "' is not known (use normal or uniform)");
}

std::string to_string(NoiseKind kind) { return kind == NoiseKind::Normal ? "normal" : "uniform"; }

std::string LatentRef::to_string() const {
    if (is_file()) return file + "#" + std::to_string(index);
    return std::to_string(seed) + ":" + std::to_string(index);
}

bool operator==(const LatentRef& a, const LatentRef& b) {
    return a.seed == b.seed && a.index == b.index && a.file == b.file;
}

LatentRef parse_latent_ref(const std::string& text) {
    constexpr std::uint64_t kMaxIndex = 1u << 30;
    const auto hash = text.rfind('#');
    if (hash != std::string::npos) {
        LatentRef ref;
        ref.file = text.substr(0, hash);
        if (ref.file.empty())
            throw Error("latent reference '" + text + "' has no file before '#' (expected FILE#INDEX, e.g. latents.json#0)");
        const std::string digits = text.substr(hash + 1);
        if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos || digits.size() > 10)
            throw Error("latent reference '" + text + "': index '" + digits +
                        "' is not a non-negative integer (expected FILE#INDEX)");
        const std::uint64_t index = std::stoull(digits);
        if (index > kMaxIndex) throw Error("latent reference '" + text + "': index is too large");
        ref.index = static_cast<std::int64_t>(index);
        return ref;
    }
    const auto colon = text.find(':');
    if (colon == std::string::npos)
        throw Error("latent reference '" + text + "' has no ':' or '#' (expected SEED:INDEX, e.g. 7:12, or FILE#INDEX)");
    LatentRef ref;
    ref.seed = parse_unsigned(text.substr(0, colon), text, "seed");
    const std::uint64_t index = parse_unsigned(text.substr(colon + 1), text, "index");
    if (index > kMaxIndex) throw Error("latent reference '" + text + "': index is too large");
    ref.index = static_cast<std::int64_t>(index);
    return ref;
}

std::vector<LatentRef> parse_latent_refs(const std::string& comma_list) {
    std::vector<LatentRef> refs;
    std::size_t start = 0;
    while (start <= comma_list.size()) {
        const auto comma = comma_list.find(',', start);
        const auto end = comma == std::string::npos ? comma_list.size() : comma;
        refs.push_back(parse_latent_ref(comma_list.substr(start, end - start)));
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    return refs;
}

at::Tensor latent_batch(std::uint64_t seed, std::int64_t count, std::int64_t nz, NoiseKind kind, std::int64_t first) {
    if (count < 0 || nz < 1 || first < 0)
        throw Error("latent batch: bad shape (count " + std::to_string(count) + ", nz " + std::to_string(nz) + ")");
    at::Tensor out = at::empty({count, nz}, at::kFloat);
    for (std::int64_t i = 0; i < count; ++i) {
        const auto row = static_cast<std::uint64_t>(first + i);
        auto gen = at::make_generator<at::CPUGeneratorImpl>(splitmix64(splitmix64(seed) ^ row));
        at::Tensor r = out[i];
        if (kind == NoiseKind::Normal) r.normal_(0.0, 1.0, gen);
        else r.uniform_(-1.0, 1.0, gen);
    }
    return out;
}

at::Tensor latents_for(const std::vector<LatentRef>& refs, std::int64_t nz, NoiseKind kind) {
    if (refs.empty()) throw Error("no latent references given");
    std::vector<at::Tensor> rows;
    rows.reserve(refs.size());
    for (const LatentRef& r : refs)
        rows.push_back(r.is_file() ? stored_latent(r, nz) : latent_batch(r.seed, 1, nz, kind, r.index)[0]);
    return at::stack(rows);
}

} // namespace latentlab
