// SPDX-License-Identifier: GPL-3.0-or-later
#include "data/synthetic_faces.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <exception>
#include <system_error>
#include <thread>

#include "common/error.h"
#include "data/face_painter.h"

namespace latentlab {
namespace {

constexpr int kMinSize = 8;
constexpr int kMaxSize = 512;

// Attribute probabilities.
constexpr float kProbMale = 0.5f;
constexpr float kProbSmiling = 0.5f;
constexpr float kProbMustacheGivenMale = 0.4f;
constexpr float kProbEyeglasses = 0.25f;
constexpr float kProbLongHairFemale = 0.75f;
constexpr float kProbLongHairMale = 0.10f;
// Cumulative hair colour weights: black, brown, blond, red, gray.
constexpr float kHairCumulative[] = {0.30f, 0.60f, 0.80f, 0.90f, 1.00f};
constexpr float kPaleSkinThreshold = 0.25f;
constexpr float kMaxOffset = 0.035f;

// ---- Deterministic random numbers -----------------------------------------

std::uint64_t mix64(std::uint64_t z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

class SplitMix64 {
public:
    explicit SplitMix64(std::uint64_t state) : state_(state) {}
    std::uint64_t next() { return mix64(state_ += 0x9E3779B97F4A7C15ull); }
    // Uniform in [0, 1) from the top 24 bits: exact in float on every platform.
    float uniform() { return static_cast<float>(next() >> 40) * (1.f / 16777216.f); }
    float uniform(float lo, float hi) { return lo + (hi - lo) * uniform(); }
    bool chance(float p) { return uniform() < p; }

private:
    std::uint64_t state_;
};

std::uint64_t face_stream(std::uint64_t seed, std::uint64_t index) {
    return mix64(mix64(seed ^ 0x5EED5EED5EED5EEDull) ^ (index * 0xD1B54A32D192ED03ull + 1));
}

// ---- Colours ---------------------------------------------------------------

Rgb lerp(Rgb a, Rgb b, float t) {
    return {a.r + (b.r - a.r) * t, a.g + (b.g - a.g) * t, a.b + (b.b - a.b) * t};
}
Rgb scale(Rgb c, float k) { return {c.r * k, c.g * k, c.b * k}; }
Rgb from_bytes(const std::uint8_t* c) { return {c[0] / 255.f, c[1] / 255.f, c[2] / 255.f}; }

void hsv_to_bytes(float h, float s, float v, std::uint8_t* out) {
    const float k[3] = {5.f, 3.f, 1.f};
    for (int i = 0; i < 3; ++i) {
        const float t = std::fmod(k[i] + h * 6.f, 6.f);
        const float f = v - v * s * std::max(0.f, std::min({t, 4.f - t, 1.f}));
        out[i] = static_cast<std::uint8_t>(std::lround(std::min(std::max(f, 0.f), 1.f) * 255.f));
    }
}

Rgb skin_colour(float tone) {
    const Rgb light{0.99f, 0.87f, 0.76f}, medium{0.82f, 0.60f, 0.43f}, dark{0.36f, 0.23f, 0.15f};
    tone = std::min(std::max(tone, 0.f), 1.f);
    return tone < 0.5f ? lerp(light, medium, tone * 2.f) : lerp(medium, dark, tone * 2.f - 1.f);
}

Rgb hair_colour(HairColour h) {
    switch (h) {
    case HairColour::Black: return {0.07f, 0.06f, 0.06f};
    case HairColour::Brown: return {0.42f, 0.24f, 0.11f};
    case HairColour::Blond: return {0.96f, 0.82f, 0.42f};
    case HairColour::Red: return {0.80f, 0.27f, 0.08f};
    case HairColour::Gray: return {0.72f, 0.72f, 0.74f};
    }
    return {0.42f, 0.24f, 0.11f};
}

// ---- Drawing ---------------------------------------------------------------

// Maps face-relative coordinates (fractions of the image size, measured from
// the face centre) to canvas pixels.
struct Frame {
    float size, cx, cy;
    Point at(float dx, float dy) const { return {(cx + dx) * size, (cy + dy) * size}; }
    float len(float v) const { return v * size; }
};

constexpr float kFaceCentreY = 0.47f;
constexpr float kBlushOpacity = 0.25f;

void draw_face(const FaceAttributes& f, int size, Canvas& canvas) {
    canvas.reset(size, size, from_bytes(f.background));
    const Frame fr{static_cast<float>(size), 0.5f + f.offset_x, kFaceCentreY + f.offset_y};
    const float hw = f.face_width * 0.5f, hh = f.face_height * 0.5f;
    const Rgb skin = skin_colour(f.skin_tone);
    const Rgb skin_shade = scale(skin, 0.82f);
    const Rgb hair = hair_colour(f.hair);
    const Rgb hair_dark = scale(hair, 0.6f);
    const Rgb ink{0.08f, 0.06f, 0.06f};

    // Long hair behind the head, falling beside the face to the shoulders.
    if (f.long_hair) {
        fill_ellipse(canvas, fr.at(0.f, -hh * 0.12f), fr.len(hw * 1.32f), fr.len(hh * 1.08f), hair);
        fill_rect(canvas, fr.at(-hw * 1.32f, 0.f).x, fr.at(0.f, -hh * 0.1f).y,
                  fr.at(hw * 1.32f, 0.f).x, fr.at(0.f, hh * 1.45f).y, hair, fr.len(0.06f));
    }
    // Clothes and neck.
    fill_ellipse(canvas, {fr.size * (0.5f + f.offset_x), fr.size * 1.06f}, fr.len(0.42f),
                 fr.len(0.25f), from_bytes(f.shirt));
    const float neck = hw * (f.male ? 0.46f : 0.38f);
    fill_rect(canvas, fr.at(-neck, 0.f).x, fr.at(0.f, hh * 0.5f).y, fr.at(neck, 0.f).x,
              fr.size * 0.93f, skin_shade, fr.len(0.02f));
    if (f.long_hair) {  // strands over the shoulders, in front of the clothes
        for (float side : {-1.f, 1.f})
            fill_rect(canvas, fr.at(side < 0 ? -hw * 1.32f : hw * 0.78f, 0.f).x, fr.at(0.f, hh * 0.4f).y,
                      fr.at(side < 0 ? -hw * 0.78f : hw * 1.32f, 0.f).x, fr.at(0.f, hh * 1.45f).y,
                      hair, fr.len(0.05f));
    } else {  // ears
        for (float side : {-1.f, 1.f})
            fill_ellipse(canvas, fr.at(side * hw * 0.98f, 0.02f), fr.len(0.045f), fr.len(0.065f),
                         skin_shade);
    }
    // Face: an ellipse, squared off at the jaw by a rounded rectangle.
    fill_ellipse(canvas, fr.at(0.f, 0.f), fr.len(hw), fr.len(hh), skin);
    if (f.jaw > 0.f) {
        const float jw = hw * (0.80f + 0.14f * f.jaw);
        fill_rect(canvas, fr.at(-jw, 0.f).x, fr.at(0.f, 0.f).y, fr.at(jw, 0.f).x,
                  fr.at(0.f, hh * 0.97f).y, skin, fr.len(hw * (0.8f - 0.4f * f.jaw)));
    }
    // Hair on top: the top of a larger ellipse, cut at the hairline.
    const float hairline = f.long_hair ? -hh * 0.42f : -hh * 0.52f;
    fill_ellipse(canvas, fr.at(0.f, -hh * 0.10f), fr.len(hw * 1.10f), fr.len(hh * 1.02f), hair,
                 Clip::above(fr.at(0.f, hairline).y));
    if (!f.long_hair && !f.male) {  // short female hair: a fuller, rounder crop
        fill_ellipse(canvas, fr.at(0.f, -hh * 0.45f), fr.len(hw * 1.15f), fr.len(hh * 0.6f), hair,
                     Clip::above(fr.at(0.f, -hh * 0.15f).y));
    }

    // Eyes.
    const float eye_y = -hh * 0.02f, eye_dx = hw * 0.42f;
    const float eye_rx = 0.062f, eye_ry = 0.048f, pupil_r = 0.033f;
    for (float side : {-1.f, 1.f}) {
        const Point e = fr.at(side * eye_dx, eye_y);
        fill_ellipse(canvas, e, fr.len(eye_rx), fr.len(eye_ry), {0.97f, 0.97f, 0.97f});
        fill_ellipse(canvas, fr.at(side * eye_dx, eye_y + 0.005f), fr.len(pupil_r), fr.len(pupil_r), ink);
        if (!f.male) {  // dark upper lid and lashes
            stroke_quadratic(canvas, fr.at(side * eye_dx - eye_rx * 1.1f, eye_y),
                             fr.at(side * eye_dx, eye_y - eye_ry * 2.1f),
                             fr.at(side * eye_dx + eye_rx * 1.25f, eye_y - eye_ry * 0.4f),
                             fr.len(0.022f), ink);
        }
        // Brows: thick and straight for men, thin and arched for women.
        const float brow_y = eye_y - (f.male ? 0.075f : 0.09f);
        stroke_quadratic(canvas, fr.at(side * (eye_dx - 0.06f), brow_y + (f.male ? 0.008f : 0.012f)),
                         fr.at(side * eye_dx, brow_y - (f.male ? 0.006f : 0.03f)),
                         fr.at(side * (eye_dx + 0.065f), brow_y + (f.male ? 0.0f : 0.012f)),
                         fr.len(f.male ? 0.036f : 0.018f), f.male ? hair_dark : scale(hair, 0.5f));
    }
    // Nose.
    fill_ellipse(canvas, fr.at(0.f, hh * 0.24f), fr.len(0.028f), fr.len(0.022f), skin_shade);
    if (!f.male) {  // blush
        for (float side : {-1.f, 1.f})
            fill_ellipse(canvas, fr.at(side * hw * 0.58f, hh * 0.26f), fr.len(0.05f), fr.len(0.03f),
                         {0.95f, 0.45f, 0.50f}, Clip{}, kBlushOpacity);
    }

    // Mouth.
    // Male lips lighten with darker skin so the closed mouth keeps its contrast.
    const Rgb lips = f.male ? lerp({0.48f, 0.14f, 0.12f}, {0.80f, 0.44f, 0.42f}, f.skin_tone)
                            : Rgb{0.85f, 0.10f, 0.22f};
    const float mouth_y = hh * 0.52f;
    if (f.smiling) {
        // Open smile: a half ellipse (flat top, round bottom), lips around it,
        // a dark inside and a band of teeth under the flat edge.
        const float mw = 0.13f, md = 0.10f, rim = 0.018f;
        const Point m = fr.at(0.f, mouth_y - 0.02f);
        fill_ellipse(canvas, m, fr.len(mw + rim), fr.len(md + rim), lips,
                     Clip::below(m.y - fr.len(rim)));
        fill_ellipse(canvas, m, fr.len(mw), fr.len(md), {0.25f, 0.03f, 0.05f}, Clip::below(m.y));
        fill_ellipse(canvas, m, fr.len(mw), fr.len(md), {1.f, 1.f, 1.f},
                     Clip::band(m.y, m.y + fr.len(md * 0.38f)));
        // Upturned corners.
        for (float side : {-1.f, 1.f})
            stroke_quadratic(canvas, fr.at(side * (mw - 0.01f), mouth_y - 0.02f),
                             fr.at(side * (mw + 0.02f), mouth_y - 0.02f),
                             fr.at(side * (mw + 0.035f), mouth_y - 0.05f), fr.len(0.02f), lips);
    } else {
        const float mw = 0.095f;
        stroke_quadratic(canvas, fr.at(-mw, mouth_y + 0.01f), fr.at(0.f, mouth_y + 0.01f),
                         fr.at(mw, mouth_y + 0.01f), fr.len(f.male ? 0.026f : 0.036f), lips);
    }
    if (f.mustache) {
        for (float side : {-1.f, 1.f})
            fill_rotated_ellipse(canvas, fr.at(side * 0.068f, mouth_y - 0.052f), fr.len(0.085f),
                                 fr.len(0.032f), side * -0.22f, hair_dark);
    }

    // Eyeglasses: tinted lenses, dark round frames and a bridge.
    if (f.eyeglasses) {
        const Rgb frame{0.05f, 0.05f, 0.08f};
        const float lens_r = 0.095f, lens_ry = 0.082f, frame_w = 0.032f;
        for (float side : {-1.f, 1.f}) {
            const Point e = fr.at(side * eye_dx, eye_y + 0.005f);
            fill_ellipse(canvas, e, fr.len(lens_r), fr.len(lens_ry), {0.85f, 0.93f, 1.f}, Clip{}, 0.35f);
            stroke_ring(canvas, e, fr.len(lens_r), fr.len(lens_ry), fr.len(frame_w), frame);
            stroke_quadratic(canvas, fr.at(side * (eye_dx + lens_r), eye_y - 0.01f),
                             fr.at(side * (hw * 0.95f), eye_y - 0.02f),
                             fr.at(side * hw * 1.02f, eye_y - 0.01f), fr.len(0.022f), frame);
        }
        stroke_quadratic(canvas, fr.at(-(eye_dx - lens_r), eye_y - 0.01f), fr.at(0.f, eye_y - 0.035f),
                         fr.at(eye_dx - lens_r, eye_y - 0.01f), fr.len(0.024f), frame);
    }
}

void check_size(int size) {
    if (size < kMinSize || size > kMaxSize)
        throw Error("Synthetic faces: image size " + std::to_string(size) + " is outside " +
                    std::to_string(kMinSize) + ".." + std::to_string(kMaxSize));
}

void check_channels(int channels, bool allow_zero) {
    if (channels == 1 || channels == 3 || (allow_zero && channels == 0)) return;
    throw Error("Synthetic faces: channel count " + std::to_string(channels) + " is not " +
                (allow_zero ? "0, 1 or 3" : "1 or 3"));
}

std::string face_name(std::size_t index) {
    char buffer[48];
    std::snprintf(buffer, sizeof buffer, "synthetic_%06zu.png", index);
    return buffer;
}

} // namespace

const std::vector<std::string>& synthetic_face_attribute_names() {
    static const std::vector<std::string> names = {
        "Male",      "Smiling",    "Mustache", "Eyeglasses", "Black_Hair", "Brown_Hair",
        "Blond_Hair", "Red_Hair", "Gray_Hair", "Long_Hair",  "Pale_Skin"};
    return names;
}

std::vector<std::int8_t> synthetic_face_attribute_row(const FaceAttributes& f) {
    auto v = [](bool b) { return static_cast<std::int8_t>(b ? 1 : -1); };
    return {v(f.male),
            v(f.smiling),
            v(f.mustache),
            v(f.eyeglasses),
            v(f.hair == HairColour::Black),
            v(f.hair == HairColour::Brown),
            v(f.hair == HairColour::Blond),
            v(f.hair == HairColour::Red),
            v(f.hair == HairColour::Gray),
            v(f.long_hair),
            v(f.skin_tone < kPaleSkinThreshold)};
}

FaceAttributes synthetic_face_attributes(std::uint64_t seed, std::uint64_t index) {
    SplitMix64 rng(face_stream(seed, index));
    FaceAttributes f;
    // Every draw happens in a fixed order whatever the outcomes, so one
    // attribute never shifts the random numbers of another.
    f.male = rng.chance(kProbMale);
    f.smiling = rng.chance(kProbSmiling);
    const bool mustache = rng.chance(kProbMustacheGivenMale);
    f.mustache = f.male && mustache;
    f.eyeglasses = rng.chance(kProbEyeglasses);
    f.long_hair = rng.uniform() < (f.male ? kProbLongHairMale : kProbLongHairFemale);
    const float hair_pick = rng.uniform();
    int hair = 0;
    while (hair < 4 && hair_pick >= kHairCumulative[hair]) ++hair;
    f.hair = static_cast<HairColour>(hair);
    f.skin_tone = rng.uniform();
    f.face_width = rng.uniform(0.40f, 0.47f) + (f.male ? 0.03f : 0.f);
    f.face_height = rng.uniform(0.52f, 0.60f);
    f.offset_x = rng.uniform(-kMaxOffset, kMaxOffset);
    f.offset_y = rng.uniform(-kMaxOffset, kMaxOffset);
    hsv_to_bytes(rng.uniform(), rng.uniform(0.15f, 0.55f), rng.uniform(0.55f, 0.95f), f.background);
    f.jaw = f.male ? rng.uniform(0.5f, 1.f) : rng.uniform(0.f, 0.2f);
    hsv_to_bytes(rng.uniform(), rng.uniform(0.3f, 0.8f), rng.uniform(0.25f, 0.75f), f.shirt);
    return f;
}

Image render_synthetic_face(const FaceAttributes& face, int size, int channels) {
    check_size(size);
    check_channels(channels, false);
    Canvas canvas;
    draw_face(face, size, canvas);
    Image image(size, size, channels);
    canvas.write_bytes(image.pixels.data(), channels);
    return image;
}

DecodedImages synthetic_faces(std::uint64_t seed, std::size_t count, const DecodeOptions& options) {
    if (count == 0) throw Error("Synthetic faces: count 0 is not allowed; ask for at least one face");
    check_size(options.size);
    check_channels(options.channels, true);

    DecodedImages out;
    out.size = options.size;
    out.channels = options.channels == 0 ? 3 : options.channels;
    out.pixels.assign(count * out.image_bytes(), 0);
    out.names.resize(count);
    out.attributes.names = synthetic_face_attribute_names();
    out.attributes.values.resize(count);

    const std::size_t workers = std::min<std::size_t>(
        count, static_cast<std::size_t>(std::max(1, options.workers)));
    const std::size_t block = (count + workers - 1) / workers;
    // Each worker draws a contiguous block of indices into its own slots, so
    // the result does not depend on the worker count.
    std::vector<std::exception_ptr> failures(workers);
    auto work = [&](std::size_t w) {
        try {
            const std::size_t begin = std::min(count, w * block), end = std::min(count, begin + block);
            Canvas canvas;
            for (std::size_t i = begin; i < end && !options.cancelled(); ++i) {
                const FaceAttributes face = synthetic_face_attributes(seed, i);
                draw_face(face, out.size, canvas);
                canvas.write_bytes(out.pixels.data() + i * out.image_bytes(), out.channels);
                out.names[i] = face_name(i);
                out.attributes.values[i] = synthetic_face_attribute_row(face);
            }
        } catch (...) {
            failures[w] = std::current_exception();
        }
    };
    std::vector<std::thread> threads;
    for (std::size_t w = 1; w < workers; ++w) {
        try {
            threads.emplace_back(work, w);
        } catch (const std::system_error&) {
            work(w);  // no thread to be had: draw this block here
        }
    }
    work(0);
    for (std::thread& t : threads) t.join();
    for (const std::exception_ptr& failure : failures)
        if (failure) std::rethrow_exception(failure);
    throw_if_cancelled(options, "synthetic faces");
    return out;
}

} // namespace latentlab
