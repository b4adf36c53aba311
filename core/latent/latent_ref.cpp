// SPDX-License-Identifier: GPL-3.0-or-later
#include "latent/latent_ref.h"

#include "common/error.h"

namespace latentlab {
namespace {

std::uint64_t parse_unsigned(const std::string& text, const std::string& whole, const char* what) {
    if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos || text.size() > 19)
        throw Error("latent reference '" + whole + "': " + what + " '" + text + "' is not a non-negative integer (expected SEED:INDEX)");
    return std::stoull(text);
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

} // namespace latentlab
