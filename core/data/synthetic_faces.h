// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The built-in dataset: procedurally drawn cartoon faces, deterministic per
// seed, rendered directly at the training size. The attributes are drawn large
// and high-contrast so that a small DCGAN learns them at 32 x 32 and latent
// vector arithmetic (smiling woman - neutral woman + neutral man) works.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "data/decoded_images.h"
#include "imaging/image.h"

namespace latentlab {

enum class HairColour { Black, Brown, Blond, Red, Gray };

struct FaceAttributes {
    bool male = false;
    bool smiling = false;     // open smile with teeth; otherwise a straight closed mouth
    bool mustache = false;    // only ever set for males by synthetic_face_attributes
    bool eyeglasses = false;
    bool long_hair = false;   // falls beside the face to the shoulders; otherwise short on top
    HairColour hair = HairColour::Brown;
    float skin_tone = 0.3f;       // 0 = lightest .. 1 = darkest
    float face_width = 0.44f;     // width of the face ellipse, relative to the image size
    float face_height = 0.56f;    // height of the face ellipse, relative to the image size
    float offset_x = 0.f;         // shift of the whole face, fraction of the image size
    float offset_y = 0.f;
    std::uint8_t background[3] = {150, 180, 210};  // RGB
    // Extra variation (not part of the attribute table).
    float jaw = 0.f;              // 0 = round chin .. 1 = broad square jaw
    std::uint8_t shirt[3] = {60, 80, 140};          // RGB of the clothes
};

// CelebA-style column names of the attribute table, in order.
const std::vector<std::string>& synthetic_face_attribute_names();

// The attribute row (+1 / -1 per column of synthetic_face_attribute_names()).
std::vector<std::int8_t> synthetic_face_attribute_row(const FaceAttributes& face);

// Deterministic and independent per index: the same (seed, index) always gives
// the same face, whatever the count or thread count (own SplitMix64 generator).
FaceAttributes synthetic_face_attributes(std::uint64_t seed, std::uint64_t index);

// Draws one face at size x size; channels 1 (luma) or 3 (RGB).
// Throws Error for a size outside 8..512 or another channel count.
Image render_synthetic_face(const FaceAttributes& face, int size, int channels);

// count faces at options.size and options.channels (0 means 3), drawn on
// options.workers threads (values below 1 mean 1); the bytes do not depend on
// the worker count. Names are "synthetic_000000.png", ...; attributes are the
// columns of synthetic_face_attribute_names(). Throws Error for count 0, a
// size outside 8..512 or channels other than 0, 1 and 3.
DecodedImages synthetic_faces(std::uint64_t seed, std::size_t count, const DecodeOptions& options);

} // namespace latentlab
