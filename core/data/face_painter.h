// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Small anti-aliased raster primitives for the synthetic faces: every shape is
// described by an (approximate) signed distance in pixels, and a pixel takes
// the colour in proportion to its coverage clamp(0.5 - distance, 0, 1).
// Coordinates are in pixels with (0, 0) at the top-left corner of the canvas,
// so the centre of pixel (x, y) is (x + 0.5, y + 0.5). Pure C++.

#include <cstddef>
#include <vector>

namespace latentlab {

struct Rgb {
    float r = 0.f, g = 0.f, b = 0.f;  // 0..1
};

struct Point {
    float x = 0.f, y = 0.f;
};

// A float RGB canvas, row-major, channels interleaved.
class Canvas {
public:
    Canvas() = default;
    Canvas(int width, int height, Rgb fill) { reset(width, height, fill); }

    // Resizes (reusing the allocation) and fills with one colour.
    void reset(int width, int height, Rgb fill);

    int width() const { return width_; }
    int height() const { return height_; }
    Rgb pixel(int x, int y) const;

    // Mixes colour into pixel (x, y) by weight 0..1; no bounds check.
    void blend(int x, int y, Rgb colour, float weight) {
        float* p = &data_[(static_cast<std::size_t>(y) * width_ + x) * 3];
        p[0] += (colour.r - p[0]) * weight;
        p[1] += (colour.g - p[1]) * weight;
        p[2] += (colour.b - p[2]) * weight;
    }

    // Writes the canvas as 8-bit pixels: 3 = RGB, 1 = luma (BT.601 weights).
    void write_bytes(unsigned char* out, int channels) const;

private:
    int width_ = 0;
    int height_ = 0;
    std::vector<float> data_;
};

// Up to two half-planes that restrict where a shape paints; a shape is drawn
// only where it and every active half-plane overlap (soft edges included).
struct Clip {
    struct HalfPlane {
        float nx = 0.f, ny = 0.f, c = 0.f;  // keeps points with nx*x + ny*y <= c
        bool active = false;
    };
    HalfPlane planes[2];

    static Clip none() { return {}; }
    static Clip above(float y);              // keeps y <= y_line
    static Clip below(float y);              // keeps y >= y_line
    static Clip band(float y_top, float y_bottom);
    static Clip line(Point a, Point b);      // keeps the side on the right, on screen, walking a -> b
    Clip& add(const Clip& other);            // adds other's first active plane
    float coverage(float x, float y) const;  // 0..1
};

void fill_ellipse(Canvas& canvas, Point centre, float rx, float ry, Rgb colour,
                  const Clip& clip = Clip{}, float opacity = 1.f);

// angle in radians, clockwise on screen (y grows downwards).
void fill_rotated_ellipse(Canvas& canvas, Point centre, float rx, float ry, float angle,
                          Rgb colour, const Clip& clip = Clip{}, float opacity = 1.f);

// An elliptical band of the given thickness centred on the ellipse (rx, ry).
void stroke_ring(Canvas& canvas, Point centre, float rx, float ry, float thickness,
                 Rgb colour, const Clip& clip = Clip{}, float opacity = 1.f);

// Axis-aligned rectangle [x0, x1] x [y0, y1] with optional rounded corners.
void fill_rect(Canvas& canvas, float x0, float y0, float x1, float y1, Rgb colour,
               float corner_radius = 0.f, const Clip& clip = Clip{}, float opacity = 1.f);

// A polyline of the given width with round joins and round caps.
void stroke_polyline(Canvas& canvas, const Point* points, std::size_t count, float width,
                     Rgb colour, const Clip& clip = Clip{}, float opacity = 1.f);

// A quadratic Bezier curve p0 -> p2 with control point p1, flattened to a polyline.
void stroke_quadratic(Canvas& canvas, Point p0, Point p1, Point p2, float width, Rgb colour,
                      const Clip& clip = Clip{}, float opacity = 1.f);

} // namespace latentlab
