// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <vector>

#include "imaging/image.h"

namespace latentlab {

// Sheets made of equally sized tiles. The CLI and the GUI both lay out their
// output through these functions, so the same tiles give the same pixels.

// Tiles in rows of `columns`, left to right then top to bottom (index 0 is
// top-left), `padding` pixels of `background` around and between them.
Image make_grid(const std::vector<Image>& tiles, int columns, int padding = 2, std::uint8_t background = 0);

// Frames side by side with no padding: width = frames * tile width.
Image make_strip(const std::vector<Image>& frames);

// How different equally sized tiles are from each other: the mean over
// pixels of the standard deviation across tiles, scaled to [0, 1]. Varied
// faces give about 0.1-0.3; tiles that are all the same image give 0.
double sample_diversity(const std::vector<Image>& tiles);

// A sign tile for the arithmetic sheet: white on black.
enum class Sign { Minus, Plus, Equals };
Image make_sign_tile(Sign sign, int size, int channels);

// The vector-arithmetic sheet of the lecture's demo, seven tiles wide:
//   A pick | . | B pick | . | C pick | . | .        (one row per pick)
//   mean A | - | mean B | + | mean C | = | result   (last row)
// Groups may hold different numbers of picks; empty cells stay black.
struct ArithmeticSheet {
    std::vector<Image> a, b, c;       // the picks of each group
    Image mean_a, mean_b, mean_c;     // each group's average, generated
    Image result;                     // mean(A) - mean(B) + mean(C), generated
};
Image make_arithmetic_sheet(const ArithmeticSheet& sheet, int padding = 2);

} // namespace latentlab
