// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "latent/latent_ref.h"

namespace latentlab {

// One chosen latent vector. `ref` names where it came from (SEED:INDEX under
// the set's noise and truncation); derived vectors such as an arithmetic
// result have none. The vector is what is drawn.
struct LatentEntry {
    std::optional<LatentRef> ref;
    std::vector<float> vector;
};

// The latents chosen in the explorer, as saved to JSON:
// {"format": "latentlab-latents", "version": 1, "checkpoint": "...", "nz": 100,
//  "noise": "normal", "truncation": 1.0,
//  "groups": {"A": [{"ref": "7:3", "vector": [...]}, ...], "B": [...], "C": [...]},
//  "keyframes": [{"ref": null, "vector": [...]}, ...]}
struct LatentSet {
    static constexpr int kGroups = 3;  // A, B, C of mean(A) - mean(B) + mean(C)
    std::string checkpoint;
    NoiseKind noise = NoiseKind::Normal;
    double truncation = 1.0;
    std::array<std::vector<LatentEntry>, kGroups> groups;
    std::vector<LatentEntry> keyframes;
};

// Group letter of index 0..2.
char group_letter(int group);

// Writes the set atomically. Every vector must have the same length (nz).
// Throws latentlab::Error naming the file and the reason.
void save_latent_set(const std::string& path, const LatentSet& set);

// Reads and validates a set. When `expected_nz` > 0, every vector must have
// that length. Throws latentlab::Error naming the file and the reason (not
// JSON, a missing field, a bad reference, a vector of the wrong length...).
LatentSet load_latent_set(const std::string& path, std::int64_t expected_nz = 0);

} // namespace latentlab
