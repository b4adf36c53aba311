// SPDX-License-Identifier: GPL-3.0-or-later
#include "imaging/image_decode.h"

#include "imaging/image_header.h"

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <limits>
#include <new>

namespace latentlab {
namespace {

constexpr const char* kUndecodable = "not a decodable image";

// Composites an image with alpha (2 or 4 channels, 8-bit) over white.
cv::Mat drop_alpha(const cv::Mat& src) {
    const int colour = src.channels() - 1;
    cv::Mat out(src.rows, src.cols, CV_8UC(colour));
    for (int y = 0; y < src.rows; ++y) {
        const unsigned char* in = src.ptr<unsigned char>(y);
        unsigned char* o = out.ptr<unsigned char>(y);
        for (int x = 0; x < src.cols; ++x, in += colour + 1, o += colour) {
            const unsigned a = in[colour];
            for (int c = 0; c < colour; ++c) o[c] = static_cast<unsigned char>((in[c] * a + 255u * (255u - a) + 127u) / 255u);
        }
    }
    return out;
}

std::string decode(const unsigned char* bytes, std::size_t count, int size, int channels, unsigned char* dst) {
    const ImageHeader header = read_image_header(bytes, count);
    if (!header.problem.empty()) return header.problem;
    std::uint64_t pixels = 0;
    if (__builtin_mul_overflow(header.width, header.height, &pixels) || pixels > kMaxDecodedPixels)
        return "too large to decode: " + std::to_string(header.width) + " x " + std::to_string(header.height) +
               " pixels, over the " + std::to_string(kMaxDecodedPixels / 1'000'000) + "-megapixel limit";
    if (count > static_cast<std::size_t>(std::numeric_limits<int>::max())) return "too large to decode (over 2 GiB)";

    cv::Mat img = cv::imdecode(cv::Mat(1, static_cast<int>(count), CV_8U, const_cast<unsigned char*>(bytes)),
                               cv::IMREAD_UNCHANGED);
    if (img.empty() || img.dims != 2 || img.rows < 1 || img.cols < 1) return kUndecodable;
    // The decoder must have read the size the header declared (the cap was
    // checked on that); anything else is a file that lies about itself.
    if (static_cast<std::uint64_t>(img.cols) * static_cast<std::uint64_t>(img.rows) > kMaxDecodedPixels)
        return kUndecodable;

    // The centre square first: everything after works on it alone.
    const int side = std::min(img.cols, img.rows);
    img = img(cv::Rect((img.cols - side) / 2, (img.rows - side) / 2, side, side));

    switch (img.depth()) {
    case CV_8U: break;
    case CV_16U: img.convertTo(img, CV_8U, 1.0 / 257.0); break;
    case CV_32F:
    case CV_64F: img.convertTo(img, CV_8U, 255.0); break;
    default: return "unsupported pixel format (signed integers)";
    }
    if (img.channels() == 2 || img.channels() == 4) img = drop_alpha(img);
    if (img.channels() != 1 && img.channels() != 3)
        return "unsupported number of channels (" + std::to_string(img.channels()) + ")";

    if (channels == 3)
        cv::cvtColor(img, img, img.channels() == 1 ? cv::COLOR_GRAY2RGB : cv::COLOR_BGR2RGB);
    else if (img.channels() == 3)
        cv::cvtColor(img, img, cv::COLOR_BGR2GRAY);  // BT.601 weights

    cv::Mat out(size, size, CV_8UC(channels), dst);
    if (side == size) img.copyTo(out);
    else cv::resize(img, out, cv::Size(size, size), 0, 0, side > size ? cv::INTER_AREA : cv::INTER_LINEAR);
    if (out.data != dst) return "internal error: output buffer was reallocated";
    return {};
}

} // namespace

std::string decode_square_image(const unsigned char* bytes, std::size_t count, int size, int channels,
                                unsigned char* dst) {
    if (size < 1 || size > 8192 || (channels != 1 && channels != 3) || !dst) return "internal error: bad decode options";
    try {
        return decode(bytes, count, size, channels, dst);
    } catch (const std::bad_alloc&) {
        return "out of memory while decoding";
    } catch (const std::exception&) {
        return kUndecodable;  // cv::Exception from a decoder that gave up
    }
}

} // namespace latentlab
