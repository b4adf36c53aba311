// SPDX-License-Identifier: GPL-3.0-or-later
#include "imaging/gif_file.h"

#include <cstdint>
#include <memory>

#include <gif_lib.h>

#include "common/error.h"
#include "common/atomic_file.h"

namespace latentlab {
namespace {

constexpr int kPaletteSize = 256;          // colours per frame: the most a GIF palette holds
constexpr int kPaletteBits = 8;            // log2(kPaletteSize)
constexpr int kMaxDelay = 65535;           // the graphics control block stores the delay in 16 bits
constexpr char kLoopApplication[] = "NETSCAPE2.0";  // the extension browsers read the loop count from

std::string gif_reason(int code) {
    const char* text = GifErrorString(code);
    return text ? text : "giflib error " + std::to_string(code);
}

int append_bytes(GifFileType* gif, const GifByteType* data, int length) {
    static_cast<std::string*>(gif->UserData)->append(reinterpret_cast<const char*>(data), static_cast<std::size_t>(length));
    return length;
}

struct GifCloser {
    void operator()(GifFileType* gif) const {
        int ignored = 0;
        if (gif) EGifCloseFile(gif, &ignored);
    }
};

void check_frames(const std::vector<Image>& frames) {
    if (frames.empty()) throw Error("no frames to write");
    const Image& first = frames.front();
    for (const Image& f : frames) {
        if (f.width != first.width || f.height != first.height || f.channels != first.channels)
            throw Error("frames differ in size (" + std::to_string(f.width) + "x" + std::to_string(f.height) + " vs " +
                        std::to_string(first.width) + "x" + std::to_string(first.height) + ")");
        if ((f.channels != 1 && f.channels != 3) || f.width <= 0 || f.height <= 0 ||
            f.pixels.size() != static_cast<std::size_t>(f.width) * f.height * f.channels)
            throw Error("cannot write a frame of " + std::to_string(f.width) + "x" + std::to_string(f.height) + "x" +
                        std::to_string(f.channels) + " as GIF");
    }
}

// One frame's palette and indices. Gray frames use a fixed gray ramp.
struct IndexedFrame {
    std::vector<GifColorType> palette;
    std::vector<GifByteType> indices;
};

IndexedFrame index_frame(const Image& frame) {
    const std::size_t n = static_cast<std::size_t>(frame.width) * frame.height;
    IndexedFrame out;
    out.palette.resize(kPaletteSize);
    out.indices.resize(n);
    if (frame.channels == 1) {
        for (int i = 0; i < kPaletteSize; ++i)
            out.palette[i] = {static_cast<GifByteType>(i), static_cast<GifByteType>(i), static_cast<GifByteType>(i)};
        for (std::size_t i = 0; i < n; ++i) out.indices[i] = frame.pixels[i];
        return out;
    }
    std::vector<GifByteType> r(n), g(n), b(n);
    for (std::size_t i = 0; i < n; ++i) {
        r[i] = frame.pixels[3 * i];
        g[i] = frame.pixels[3 * i + 1];
        b[i] = frame.pixels[3 * i + 2];
    }
    int colours = kPaletteSize;
    if (GifQuantizeBuffer(static_cast<unsigned>(frame.width), static_cast<unsigned>(frame.height), &colours, r.data(),
                          g.data(), b.data(), out.indices.data(), out.palette.data()) == GIF_ERROR)
        throw Error("could not reduce a frame to 256 colours");
    return out;
}

void put_loop_extension(GifFileType* gif) {
    const GifByteType infinite[3] = {1, 0, 0};  // sub-block 1, loop count 0 = forever
    if (EGifPutExtensionLeader(gif, APPLICATION_EXT_FUNC_CODE) == GIF_ERROR ||
        EGifPutExtensionBlock(gif, sizeof(kLoopApplication) - 1, kLoopApplication) == GIF_ERROR ||
        EGifPutExtensionBlock(gif, sizeof(infinite), infinite) == GIF_ERROR || EGifPutExtensionTrailer(gif) == GIF_ERROR)
        throw Error("could not write the loop extension (" + gif_reason(gif->Error) + ")");
}

void put_frame(GifFileType* gif, const Image& frame, int delay) {
    IndexedFrame indexed = index_frame(frame);
    GraphicsControlBlock control{};
    control.DisposalMode = DISPOSE_DO_NOT;
    control.DelayTime = delay;
    control.TransparentColor = NO_TRANSPARENT_COLOR;
    GifByteType extension[4];
    const std::size_t length = EGifGCBToExtension(&control, extension);
    if (EGifPutExtension(gif, GRAPHICS_EXT_FUNC_CODE, static_cast<int>(length), extension) == GIF_ERROR)
        throw Error("could not write a frame's delay (" + gif_reason(gif->Error) + ")");

    std::unique_ptr<ColorMapObject, void (*)(ColorMapObject*)> map(
        GifMakeMapObject(kPaletteSize, indexed.palette.data()), GifFreeMapObject);
    if (!map) throw Error("out of memory for a GIF palette");
    if (EGifPutImageDesc(gif, 0, 0, frame.width, frame.height, false, map.get()) == GIF_ERROR)
        throw Error("could not write a frame header (" + gif_reason(gif->Error) + ")");
    for (int y = 0; y < frame.height; ++y)
        if (EGifPutLine(gif, indexed.indices.data() + static_cast<std::size_t>(y) * frame.width, frame.width) == GIF_ERROR)
            throw Error("could not write a frame (" + gif_reason(gif->Error) + ")");
}

} // namespace

std::string encode_gif(const std::vector<Image>& frames, int delay_centiseconds, bool loop) {
    check_frames(frames);
    if (delay_centiseconds < 0 || delay_centiseconds > kMaxDelay)
        throw Error("frame delay " + std::to_string(delay_centiseconds) + " cs is out of range (0 to 65535)");
    std::string bytes;
    int code = 0;
    std::unique_ptr<GifFileType, GifCloser> gif(EGifOpen(&bytes, append_bytes, &code));
    if (!gif) throw Error("could not start a GIF (" + gif_reason(code) + ")");
    EGifSetGifVersion(gif.get(), true);  // GIF89a: needed for delays and looping
    const Image& first = frames.front();
    if (EGifPutScreenDesc(gif.get(), first.width, first.height, kPaletteBits, 0, nullptr) == GIF_ERROR)
        throw Error("could not write the GIF header (" + gif_reason(gif->Error) + ")");
    if (loop) put_loop_extension(gif.get());
    for (const Image& frame : frames) put_frame(gif.get(), frame, delay_centiseconds);
    GifFileType* raw = gif.release();
    if (EGifCloseFile(raw, &code) == GIF_ERROR) throw Error("could not finish the GIF (" + gif_reason(code) + ")");
    return bytes;
}

void write_gif(const std::string& path, const std::vector<Image>& frames, int delay_centiseconds, bool loop) {
    std::string bytes;
    try {
        bytes = encode_gif(frames, delay_centiseconds, loop);
    } catch (const Error& e) {
        throw Error(path + ": " + e.what());
    }
    write_file_atomically(path, bytes);
}

} // namespace latentlab
