// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "data/decoded_images.h"

#include <cstdint>
#include <string>
#include <vector>

namespace latentlab {

// MNIST-style IDX files (MNIST, Fashion-MNIST, KMNIST...), raw or gzipped
// (zlib reads both transparently). Only unsigned-byte data (type 0x08) is
// supported: magic bytes 00 00 08 <ndims>.

// Decodes an IDX image file (ndims 3: count x rows x cols, gray). Every image
// is resized with resize_to_square to options.size; options.channels 0 or 1
// stores gray, 3 replicates the gray value into RGB. names are
// "<file name>#<index>" (index from 0). options.workers is not used (IDX
// decoding is one sequential read).
// Throws latentlab::Error naming the file for: a file that cannot be opened,
// a broken gzip stream, wrong magic, a wrong number of dimensions, absurd
// dimensions, and a file whose pixel data is shorter than its header says
// ("<path>: truncated IDX file: expected 47040000 bytes of pixels, found 1234").
// The declared sizes are checked before anything is allocated: a plain file
// against its size on disk, gzip data against the most it could inflate to;
// gzip data is then decoded as it arrives, so a stream that ends early fails
// having used memory only for what it really held. Decoded images that would
// not fit in the machine's memory are refused (common/memory.h).
DecodedImages decode_idx_images(const std::string& path, const DecodeOptions& options);

// Reads an IDX label file (ndims 1), one byte per item, with the same checks.
std::vector<std::uint8_t> read_idx_labels(const std::string& path);

} // namespace latentlab
