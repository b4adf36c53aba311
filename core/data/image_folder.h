// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Available only when LatentLab is built with OpenCV (LATENTLAB_HAVE_OPENCV).

#include "data/decoded_images.h"

#include <string>
#include <vector>

namespace latentlab {

// Decodes every image under `dir`, recursively to any depth, into one buffer
// of options.size x options.size images.
//
// - Files are taken in sorted path order (path elements compared one by one),
//   so the result is the same for any number of workers. names are paths
//   relative to dir with '/' separators.
// - Extensions jpg, jpeg, png, bmp, webp, tif, tiff (any case) are decoded.
//   Other files are skipped with a reason ("not an image file (.txt)").
//   Hidden files and folders (name starting with '.') are ignored silently.
//   Symbolic links to folders are followed, but each real folder is visited
//   once, so link loops end.
// - Each image (imaging/image_decode.h): the centre square is cut out first,
//   then scaled to options.size (area averaging when shrinking, bilinear when
//   growing); 16-bit and float pixels become 8-bit; alpha is composited over
//   white; channels 0 or 3 stores RGB (gray is replicated), 1 stores BT.601
//   gray.
// - Bad files never stop the run; they are listed in `skipped` (path relative
//   to dir + reason): empty files, unreadable files, bytes that no decoder
//   accepts ("not a decodable image"), truncated files (JPEG without its
//   end-of-image marker, PNG without IEND, BMP/WebP shorter than their
//   headers say -- OpenCV would decode a truncated JPEG into a half-grey
//   image), and files whose header declares more than 50 megapixels ("too
//   large to decode: 60000 x 60000 pixels, over the 50-megapixel limit"),
//   refused before any pixel is allocated. Data after a JPEG's end marker (a
//   motion photo's video) is allowed.
// - options.workers threads decode in parallel straight into the final buffer;
//   only one encoded file per worker is in memory at a time.
//
// Throws latentlab::Error when dir is missing or not a folder, when options are
// invalid, when the decoded images would not fit in the machine's memory, and
// when no usable image is found:
// "<dir>: no usable image among N files (e.g. a.jpg: empty file (0 bytes))".
DecodedImages decode_image_folder(const std::string& dir, const DecodeOptions& options);

// The files below dir that decode_image_folder would try to decode (image
// extensions, hidden files left out, folder links followed once), as paths
// relative to dir in sorted order, without reading them. Throws
// latentlab::Error when dir is missing or not a folder.
std::vector<std::string> list_image_files(const std::string& dir);

// Reads one image file (at most 1 GiB) and decodes it as the folder source
// does (decode_square_image) into `dst`, size x size x channels. `bytes` is a
// buffer reused between calls. Returns an empty string on success, else the
// reason the file cannot be used ("empty file (0 bytes)", "cannot read (...)").
std::string decode_image_file(const std::string& path, std::vector<unsigned char>& bytes, unsigned char* dst,
                              int size, int channels);

} // namespace latentlab
