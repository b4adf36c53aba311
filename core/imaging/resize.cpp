// SPDX-License-Identifier: GPL-3.0-or-later
#include "imaging/resize.h"

#include "common/error.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace latentlab {
namespace {

// One source sample contributing to one output coordinate.
struct Tap {
    int index;
    float weight;
};

// For every output coordinate in [first, first + count) of an axis that maps
// `src_len` source pixels onto `dst_len` pixels, the source taps and weights.
// Shrinking: box filter over the covered source interval (area averaging).
// Growing or equal: bilinear between the two nearest pixel centres.
std::vector<std::vector<Tap>> axis_taps(int src_len, int dst_len, int first, int count) {
    std::vector<std::vector<Tap>> taps(static_cast<std::size_t>(count));
    const double scale = static_cast<double>(src_len) / dst_len;  // source pixels per output pixel
    for (int i = 0; i < count; ++i) {
        const int d = first + i;
        std::vector<Tap>& t = taps[static_cast<std::size_t>(i)];
        if (scale > 1.0) {
            const double lo = d * scale;
            const double hi = std::min<double>((d + 1) * scale, src_len);
            int s = static_cast<int>(std::floor(lo));
            double total = 0.0;
            for (; s < src_len && s < hi; ++s) {
                const double cover = std::min<double>(s + 1, hi) - std::max<double>(s, lo);
                if (cover <= 1e-9) continue;
                t.push_back({s, static_cast<float>(cover)});
                total += cover;
            }
            for (Tap& tap : t) tap.weight = static_cast<float>(tap.weight / total);
        } else {
            double pos = (d + 0.5) * scale - 0.5;
            pos = std::clamp(pos, 0.0, static_cast<double>(src_len - 1));
            const int s0 = static_cast<int>(std::floor(pos));
            const int s1 = std::min(s0 + 1, src_len - 1);
            const double f = pos - s0;
            if (s1 == s0 || f <= 1e-9) {
                t.push_back({s0, 1.0f});
            } else {
                t.push_back({s0, static_cast<float>(1.0 - f)});
                t.push_back({s1, static_cast<float>(f)});
            }
        }
    }
    return taps;
}

std::uint8_t to_byte(float v) {
    return static_cast<std::uint8_t>(std::clamp(std::lround(v), 0L, 255L));
}

} // namespace

Image resize_to_square(const Image& src, int size) {
    if (size < 1)
        throw Error("resize: invalid target size " + std::to_string(size) + " (must be at least 1)");
    if (src.empty() || src.width < 1 || src.height < 1 || src.channels < 1)
        throw Error("resize: the source image is empty");
    const int w = src.width, h = src.height, c = src.channels;
    if (w == size && h == size) return src;

    // Scaled size: the shorter side becomes exactly `size`.
    int rw, rh;
    if (w <= h) {
        rw = size;
        rh = std::max(size, static_cast<int>(std::lround(static_cast<double>(h) * size / w)));
    } else {
        rh = size;
        rw = std::max(size, static_cast<int>(std::lround(static_cast<double>(w) * size / h)));
    }
    const int ox = (rw - size) / 2;
    const int oy = (rh - size) / 2;

    const auto xt = axis_taps(w, rw, ox, size);
    const auto yt = axis_taps(h, rh, oy, size);

    // Horizontal pass over the source rows that the vertical taps touch.
    int row_lo = h, row_hi = -1;
    for (const auto& taps : yt)
        for (const Tap& t : taps) { row_lo = std::min(row_lo, t.index); row_hi = std::max(row_hi, t.index); }
    const int rows = row_hi - row_lo + 1;
    std::vector<float> mid(static_cast<std::size_t>(rows) * size * c);
    for (int y = 0; y < rows; ++y) {
        const std::uint8_t* in = src.at(0, row_lo + y);
        float* out = &mid[static_cast<std::size_t>(y) * size * c];
        for (int x = 0; x < size; ++x) {
            for (int ch = 0; ch < c; ++ch) {
                float acc = 0.0f;
                for (const Tap& t : xt[static_cast<std::size_t>(x)])
                    acc += t.weight * in[static_cast<std::size_t>(t.index) * c + ch];
                out[static_cast<std::size_t>(x) * c + ch] = acc;
            }
        }
    }

    // Vertical pass into the output square.
    Image dst(size, size, c);
    const std::size_t row_len = static_cast<std::size_t>(size) * c;
    for (int y = 0; y < size; ++y) {
        std::uint8_t* out = dst.at(0, y);
        const auto& taps = yt[static_cast<std::size_t>(y)];
        for (std::size_t i = 0; i < row_len; ++i) {
            float acc = 0.0f;
            for (const Tap& t : taps)
                acc += t.weight * mid[static_cast<std::size_t>(t.index - row_lo) * row_len + i];
            out[i] = to_byte(acc);
        }
    }
    return dst;
}

Image convert_channels(const Image& src, int channels) {
    const int sc = src.channels;
    if (channels != 1 && channels != 3)
        throw Error("convert_channels: unsupported target channel count " + std::to_string(channels) +
                    " (must be 1 or 3)");
    if (sc != 1 && sc != 3 && sc != 4)
        throw Error("convert_channels: unsupported source channel count " + std::to_string(sc) +
                    " (must be 1, 3 or 4)");
    if (sc == channels) return src;

    Image dst(src.width, src.height, channels);
    const std::size_t n = static_cast<std::size_t>(src.width) * src.height;
    const std::uint8_t* in = src.pixels.data();
    std::uint8_t* out = dst.pixels.data();
    for (std::size_t i = 0; i < n; ++i, in += sc, out += channels) {
        if (sc == 1) {
            out[0] = out[1] = out[2] = in[0];  // channels == 3 here
        } else if (channels == 1) {
            // BT.601 luma in fixed point, rounded to nearest.
            out[0] = static_cast<std::uint8_t>((299u * in[0] + 587u * in[1] + 114u * in[2] + 500u) / 1000u);
        } else {
            out[0] = in[0]; out[1] = in[1]; out[2] = in[2];  // RGBA -> RGB
        }
    }
    return dst;
}

} // namespace latentlab
