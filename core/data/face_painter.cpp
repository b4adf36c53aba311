// SPDX-License-Identifier: GPL-3.0-or-later
#include "data/face_painter.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace latentlab {
namespace {

// Extra pixels around a shape's extent that the anti-aliased edge may touch.
constexpr float kEdgeMargin = 1.5f;
// Segments used to flatten one quadratic curve; fine enough up to 512 px.
constexpr int kCurveSegments = 12;

float clamp01(float v) { return v < 0.f ? 0.f : (v > 1.f ? 1.f : v); }

// Coverage of a pixel whose centre lies at signed distance d from an edge.
float edge_coverage(float d) { return clamp01(0.5f - d); }

// Approximate signed distance to an axis-aligned ellipse centred at the origin:
// the implicit function divided by its gradient length (exact on the axes and
// accurate near the edge, which is all anti-aliasing needs).
float ellipse_distance(float x, float y, float rx, float ry) {
    const float ux = x / rx, uy = y / ry;
    const float k = std::sqrt(ux * ux + uy * uy);
    const float gx = ux / rx, gy = uy / ry;
    const float grad = std::sqrt(gx * gx + gy * gy);
    if (grad <= 1e-12f) return -std::min(rx, ry);
    return k * (k - 1.f) / grad;
}

float segment_distance(float px, float py, Point a, Point b) {
    const float dx = b.x - a.x, dy = b.y - a.y;
    const float len2 = dx * dx + dy * dy;
    float t = len2 > 0.f ? ((px - a.x) * dx + (py - a.y) * dy) / len2 : 0.f;
    t = clamp01(t);
    const float ex = px - (a.x + t * dx), ey = py - (a.y + t * dy);
    return std::sqrt(ex * ex + ey * ey);
}

// Paints colour over the pixels of [x0, x1] x [y0, y1] (float bounds, clamped
// to the canvas) with coverage from distance(cx, cy) at each pixel centre.
template <typename Distance>
void paint(Canvas& canvas, float x0, float y0, float x1, float y1, Rgb colour,
           const Clip& clip, float opacity, Distance distance) {
    const int ix0 = std::max(0, static_cast<int>(std::floor(x0 - kEdgeMargin)));
    const int iy0 = std::max(0, static_cast<int>(std::floor(y0 - kEdgeMargin)));
    const int ix1 = std::min(canvas.width() - 1, static_cast<int>(std::ceil(x1 + kEdgeMargin)));
    const int iy1 = std::min(canvas.height() - 1, static_cast<int>(std::ceil(y1 + kEdgeMargin)));
    for (int y = iy0; y <= iy1; ++y) {
        const float py = static_cast<float>(y) + 0.5f;
        for (int x = ix0; x <= ix1; ++x) {
            const float px = static_cast<float>(x) + 0.5f;
            float cover = edge_coverage(distance(px, py));
            if (cover <= 0.f) continue;
            cover = std::min(cover, clip.coverage(px, py));
            if (cover <= 0.f) continue;
            canvas.blend(x, y, colour, cover * opacity);
        }
    }
}

std::uint8_t to_byte(float v) { return static_cast<std::uint8_t>(clamp01(v) * 255.f + 0.5f); }

} // namespace

void Canvas::reset(int width, int height, Rgb fill) {
    width_ = width;
    height_ = height;
    data_.resize(static_cast<std::size_t>(width) * height * 3);
    for (std::size_t i = 0; i < data_.size(); i += 3) {
        data_[i] = fill.r;
        data_[i + 1] = fill.g;
        data_[i + 2] = fill.b;
    }
}

Rgb Canvas::pixel(int x, int y) const {
    const float* p = &data_[(static_cast<std::size_t>(y) * width_ + x) * 3];
    return {p[0], p[1], p[2]};
}

void Canvas::write_bytes(unsigned char* out, int channels) const {
    constexpr float kLumaR = 0.299f, kLumaG = 0.587f, kLumaB = 0.114f;
    const std::size_t n = static_cast<std::size_t>(width_) * height_;
    for (std::size_t i = 0; i < n; ++i) {
        const float* p = &data_[i * 3];
        if (channels == 1) {
            out[i] = to_byte(kLumaR * p[0] + kLumaG * p[1] + kLumaB * p[2]);
        } else {
            out[i * 3] = to_byte(p[0]);
            out[i * 3 + 1] = to_byte(p[1]);
            out[i * 3 + 2] = to_byte(p[2]);
        }
    }
}

Clip Clip::above(float y) {
    Clip c;
    c.planes[0] = {0.f, 1.f, y, true};
    return c;
}

Clip Clip::below(float y) {
    Clip c;
    c.planes[0] = {0.f, -1.f, -y, true};
    return c;
}

Clip Clip::band(float y_top, float y_bottom) {
    Clip c = above(y_bottom);
    c.planes[1] = below(y_top).planes[0];
    return c;
}

Clip Clip::line(Point a, Point b) {
    // n = (dy, -dx): with y growing downwards, n.p <= n.a is the right-hand
    // side seen on screen (walking right keeps what lies below the line).
    float nx = b.y - a.y, ny = -(b.x - a.x);
    const float len = std::sqrt(nx * nx + ny * ny);
    Clip c;
    if (len <= 0.f) return c;
    nx /= len;
    ny /= len;
    c.planes[0] = {nx, ny, nx * a.x + ny * a.y, true};
    return c;
}

Clip& Clip::add(const Clip& other) {
    const HalfPlane* extra = other.planes[0].active ? &other.planes[0]
                             : other.planes[1].active ? &other.planes[1] : nullptr;
    if (!extra) return *this;
    if (!planes[0].active) planes[0] = *extra;
    else planes[1] = *extra;
    return *this;
}

float Clip::coverage(float x, float y) const {
    float cover = 1.f;
    for (const HalfPlane& p : planes)
        if (p.active) cover = std::min(cover, edge_coverage(p.nx * x + p.ny * y - p.c));
    return cover;
}

void fill_ellipse(Canvas& canvas, Point c, float rx, float ry, Rgb colour, const Clip& clip,
                  float opacity) {
    if (rx <= 0.f || ry <= 0.f) return;
    paint(canvas, c.x - rx, c.y - ry, c.x + rx, c.y + ry, colour, clip, opacity,
          [&](float x, float y) { return ellipse_distance(x - c.x, y - c.y, rx, ry); });
}

void fill_rotated_ellipse(Canvas& canvas, Point c, float rx, float ry, float angle, Rgb colour,
                          const Clip& clip, float opacity) {
    if (rx <= 0.f || ry <= 0.f) return;
    const float cs = std::cos(angle), sn = std::sin(angle);
    const float r = std::max(rx, ry);
    paint(canvas, c.x - r, c.y - r, c.x + r, c.y + r, colour, clip, opacity,
          [&](float x, float y) {
              const float dx = x - c.x, dy = y - c.y;
              return ellipse_distance(cs * dx + sn * dy, -sn * dx + cs * dy, rx, ry);
          });
}

void stroke_ring(Canvas& canvas, Point c, float rx, float ry, float thickness, Rgb colour,
                 const Clip& clip, float opacity) {
    if (rx <= 0.f || ry <= 0.f || thickness <= 0.f) return;
    const float half = thickness * 0.5f;
    paint(canvas, c.x - rx - half, c.y - ry - half, c.x + rx + half, c.y + ry + half, colour,
          clip, opacity, [&](float x, float y) {
              return std::fabs(ellipse_distance(x - c.x, y - c.y, rx, ry)) - half;
          });
}

void fill_rect(Canvas& canvas, float x0, float y0, float x1, float y1, Rgb colour,
               float corner_radius, const Clip& clip, float opacity) {
    if (x1 <= x0 || y1 <= y0) return;
    const float cx = (x0 + x1) * 0.5f, cy = (y0 + y1) * 0.5f;
    const float hx = (x1 - x0) * 0.5f, hy = (y1 - y0) * 0.5f;
    const float r = std::min({std::max(corner_radius, 0.f), hx, hy});
    paint(canvas, x0, y0, x1, y1, colour, clip, opacity, [&](float x, float y) {
        const float qx = std::fabs(x - cx) - (hx - r), qy = std::fabs(y - cy) - (hy - r);
        const float ox = std::max(qx, 0.f), oy = std::max(qy, 0.f);
        return std::sqrt(ox * ox + oy * oy) + std::min(std::max(qx, qy), 0.f) - r;
    });
}

void stroke_polyline(Canvas& canvas, const Point* points, std::size_t count, float width,
                     Rgb colour, const Clip& clip, float opacity) {
    if (count == 0 || width <= 0.f) return;
    float x0 = points[0].x, x1 = x0, y0 = points[0].y, y1 = y0;
    for (std::size_t i = 1; i < count; ++i) {
        x0 = std::min(x0, points[i].x);
        x1 = std::max(x1, points[i].x);
        y0 = std::min(y0, points[i].y);
        y1 = std::max(y1, points[i].y);
    }
    const float half = width * 0.5f;
    paint(canvas, x0 - half, y0 - half, x1 + half, y1 + half, colour, clip, opacity,
          [&](float x, float y) {
              float d = segment_distance(x, y, points[0], points[count > 1 ? 1 : 0]);
              for (std::size_t i = 2; i < count; ++i)
                  d = std::min(d, segment_distance(x, y, points[i - 1], points[i]));
              return d - half;
          });
}

void stroke_quadratic(Canvas& canvas, Point p0, Point p1, Point p2, float width, Rgb colour,
                      const Clip& clip, float opacity) {
    Point pts[kCurveSegments + 1];
    for (int i = 0; i <= kCurveSegments; ++i) {
        const float t = static_cast<float>(i) / kCurveSegments, u = 1.f - t;
        pts[i] = {u * u * p0.x + 2.f * u * t * p1.x + t * t * p2.x,
                  u * u * p0.y + 2.f * u * t * p1.y + t * t * p2.y};
    }
    stroke_polyline(canvas, pts, kCurveSegments + 1, width, colour, clip, opacity);
}

} // namespace latentlab
