// SPDX-License-Identifier: GPL-3.0-or-later
#include "imaging/layouts.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>

#include "common/error.h"

namespace latentlab {
namespace {

void check_tiles(const std::vector<Image>& tiles, const char* what) {
    if (tiles.empty()) throw Error(std::string(what) + ": nothing to lay out");
    for (const Image& t : tiles)
        if (t.width != tiles[0].width || t.height != tiles[0].height || t.channels != tiles[0].channels)
            throw Error(std::string(what) + ": tiles differ in size (" + std::to_string(t.width) + "x" +
                        std::to_string(t.height) + " vs " + std::to_string(tiles[0].width) + "x" +
                        std::to_string(tiles[0].height) + ")");
}

void blit(Image& dst, const Image& src, int x0, int y0) {
    const std::size_t row = static_cast<std::size_t>(src.width) * src.channels;
    for (int y = 0; y < src.height; ++y) std::memcpy(dst.at(x0, y0 + y), src.at(0, y), row);
}

// Fills a rectangle given in fractions of the tile with white.
void fill_bar(Image& tile, float x0, float y0, float x1, float y1) {
    // At least one pixel thick, however small the tile.
    const int ax = static_cast<int>(x0 * tile.width + 0.5f);
    const int bx = std::max(static_cast<int>(x1 * tile.width + 0.5f), ax + 1);
    const int ay = static_cast<int>(y0 * tile.height + 0.5f);
    const int by = std::max(static_cast<int>(y1 * tile.height + 0.5f), ay + 1);
    for (int y = std::max(ay, 0); y < std::min(by, tile.height); ++y)
        for (int x = std::max(ax, 0); x < std::min(bx, tile.width); ++x)
            std::memset(tile.at(x, y), 255, static_cast<std::size_t>(tile.channels));
}

} // namespace

Image make_grid(const std::vector<Image>& tiles, int columns, int padding, std::uint8_t background) {
    check_tiles(tiles, "grid");
    if (columns <= 0) throw Error("grid: columns must be positive, got " + std::to_string(columns));
    const int n = static_cast<int>(tiles.size());
    const int cols = std::min(columns, n);
    const int rows = (n + cols - 1) / cols;
    const int w = tiles[0].width, h = tiles[0].height;
    Image out(cols * w + (cols + 1) * padding, rows * h + (rows + 1) * padding, tiles[0].channels, background);
    for (int i = 0; i < n; ++i)
        blit(out, tiles[i], padding + (i % cols) * (w + padding), padding + (i / cols) * (h + padding));
    return out;
}

double sample_diversity(const std::vector<Image>& tiles) {
    check_tiles(tiles, "diversity");
    if (tiles.size() < 2) return 0.0;
    const std::size_t n = tiles.size(), bytes = tiles[0].pixels.size();
    double total = 0.0;
    for (std::size_t i = 0; i < bytes; ++i) {
        double sum = 0.0, sum_sq = 0.0;
        for (const Image& t : tiles) {
            const double v = t.pixels[i];
            sum += v;
            sum_sq += v * v;
        }
        const double mean = sum / n;
        total += std::sqrt(std::max(0.0, sum_sq / n - mean * mean));
    }
    constexpr double kMaxStd = 127.5;  // two values at 0 and 255
    return total / static_cast<double>(bytes) / kMaxStd;
}

Image make_strip(const std::vector<Image>& frames) {
    return make_grid(frames, static_cast<int>(frames.size()), 0);
}

Image make_sign_tile(Sign sign, int size, int channels) {
    constexpr float kLeft = 0.25f, kRight = 0.75f;  // bar extent across the tile
    constexpr float kHalfThickness = 0.05f;
    Image tile(size, size, channels, 0);
    const auto horizontal = [&](float centre) {
        fill_bar(tile, kLeft, centre - kHalfThickness, kRight, centre + kHalfThickness);
    };
    switch (sign) {
    case Sign::Minus: horizontal(0.5f); break;
    case Sign::Plus:
        horizontal(0.5f);
        fill_bar(tile, 0.5f - kHalfThickness, kLeft, 0.5f + kHalfThickness, kRight);
        break;
    case Sign::Equals:
        horizontal(0.35f);
        horizontal(0.65f);
        break;
    }
    return tile;
}

Image make_arithmetic_sheet(const ArithmeticSheet& s, int padding) {
    constexpr int kColumns = 7;
    std::vector<Image> reference{s.mean_a, s.mean_b, s.mean_c, s.result};
    check_tiles(reference, "arithmetic sheet");
    for (const auto* group : {&s.a, &s.b, &s.c})
        if (!group->empty()) check_tiles({group->front(), reference.front()}, "arithmetic sheet");
    const int size = s.result.width, channels = s.result.channels;
    const std::size_t pick_rows = std::max({s.a.size(), s.b.size(), s.c.size()});

    const Image blank(size, s.result.height, channels, 0);
    std::vector<Image> cells;
    for (std::size_t r = 0; r < pick_rows; ++r) {
        const auto pick = [&](const std::vector<Image>& g) { return r < g.size() ? g[r] : blank; };
        for (const Image& cell : {pick(s.a), blank, pick(s.b), blank, pick(s.c), blank, blank})
            cells.push_back(cell);
    }
    for (const Image& cell : {s.mean_a, make_sign_tile(Sign::Minus, size, channels), s.mean_b,
                              make_sign_tile(Sign::Plus, size, channels), s.mean_c,
                              make_sign_tile(Sign::Equals, size, channels), s.result})
        cells.push_back(cell);
    return make_grid(cells, kColumns, padding);
}

} // namespace latentlab
