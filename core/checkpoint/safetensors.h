// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <ATen/core/Tensor.h>

namespace latentlab {

// The safetensors layout, the ecosystem's data-only tensor file:
//
//   8 bytes    N, the header length (little endian)
//   N bytes    JSON: {"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, ...,
//                     "__metadata__": {"key": "string value", ...}}
//   ...        the tensors' bytes, row-major little endian, offsets relative to here
//
// Nothing in it is code: reading one can only yield tensors or an error.

using NamedTensors = std::vector<std::pair<std::string, at::Tensor>>;
using TensorMetadata = std::map<std::string, std::string>;

// The bytes of a safetensors file holding `tensors` (copied to the CPU,
// row-major) in the given order, and `metadata`.
std::string encode_safetensors(const NamedTensors& tensors, const TensorMetadata& metadata = {});

// A parsed, fully validated safetensors buffer. It refers to the bytes it
// was given, which must outlive it. Every check runs in the constructor,
// before any tensor is allocated: the header length and JSON, the dtypes
// (an allow-list), every shape against its byte range, and the byte ranges
// covering the data exactly once. Violations throw latentlab::Error with
// `what` (e.g. the file name) and the offending field.
class SafetensorsView {
public:
    struct Entry {
        std::string dtype;  // "F32", "I64", ...
        std::vector<std::int64_t> shape;
        std::size_t begin = 0, end = 0;  // relative to the data section
    };

    SafetensorsView(const char* data, std::size_t size, std::string what);

    const TensorMetadata& metadata() const { return metadata_; }
    std::size_t data_bytes() const { return data_bytes_; }
    const std::map<std::string, Entry>& entries() const { return entries_; }
    bool contains(const std::string& name) const { return entries_.count(name) != 0; }
    const Entry& entry(const std::string& name) const;
    // A new CPU tensor with the entry's bytes.
    at::Tensor tensor(const std::string& name) const;

private:
    [[noreturn]] void fail(const std::string& reason) const;

    std::string what_;
    const char* data_ = nullptr;  // start of the data section
    std::size_t data_bytes_ = 0;
    TensorMetadata metadata_;
    std::map<std::string, Entry> entries_;
};

// "F32" for float32 and so on; throws for dtypes the format has no name for here.
std::string safetensors_dtype(c10::ScalarType type);

// "[64, 3, 4, 4]": a shape for messages.
std::string shape_text(at::IntArrayRef shape);

} // namespace latentlab
