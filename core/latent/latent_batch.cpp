// SPDX-License-Identifier: GPL-3.0-or-later
#include "latent/latent_batch.h"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/ops/empty.h>
#include <ATen/ops/from_blob.h>
#include <ATen/ops/stack.h>

#include "common/error.h"
#include "common/splitmix.h"
#include "latent/latent_set_file.h"

namespace latentlab {
namespace {

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
