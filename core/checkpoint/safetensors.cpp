// SPDX-License-Identifier: GPL-3.0-or-later
#include "checkpoint/safetensors.h"

#include <algorithm>
#include <cstring>
#include <limits>

#include <ATen/ops/empty.h>
#include <nlohmann/json.hpp>

#include "common/binary_io.h"
#include "common/error.h"

namespace latentlab {
namespace {

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "safetensors bytes are little endian; so is every host LatentLab runs on");

// Headers of real files are a few KB; anything near this is not one.
constexpr std::uint64_t kMaxHeaderBytes = 16u << 20;
constexpr std::size_t kMaxDims = 8;

struct DtypeName {
    const char* name;
    c10::ScalarType type;
};

// The allow-list: the dtypes LatentLab writes, plus the common ones a
// safetensors file from elsewhere holds.
constexpr DtypeName kDtypes[] = {
    {"F32", c10::kFloat}, {"F64", c10::kDouble}, {"F16", c10::kHalf}, {"BF16", c10::kBFloat16},
    {"I64", c10::kLong},  {"I32", c10::kInt},    {"I16", c10::kShort}, {"I8", c10::kChar},
    {"U8", c10::kByte},   {"BOOL", c10::kBool},
};

const DtypeName* find_dtype(const std::string& name) {
    for (const auto& d : kDtypes)
        if (name == d.name) return &d;
    return nullptr;
}

} // namespace

std::string safetensors_dtype(c10::ScalarType type) {
    for (const auto& d : kDtypes)
        if (d.type == type) return d.name;
    throw Error(std::string("tensors of type ") + c10::toString(type) + " cannot be stored");
}

std::string shape_text(at::IntArrayRef shape) {
    std::string s = "[";
    for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
    return s + "]";
}

std::string encode_safetensors(const NamedTensors& tensors, const TensorMetadata& metadata) {
    nlohmann::ordered_json header = nlohmann::ordered_json::object();
    if (!metadata.empty()) header["__metadata__"] = metadata;
    std::vector<at::Tensor> contiguous;
    contiguous.reserve(tensors.size());
    std::size_t offset = 0;
    for (const auto& [name, tensor] : tensors) {
        if (name == "__metadata__" || header.contains(name)) throw Error("tensor name '" + name + "' is used twice");
        at::Tensor t = tensor.detach().to(c10::kCPU).contiguous();
        const std::size_t bytes = t.numel() * t.element_size();
        header[name] = {{"dtype", safetensors_dtype(t.scalar_type())},
                        {"shape", t.sizes().vec()},
                        {"data_offsets", {offset, offset + bytes}}};
        offset += bytes;
        contiguous.push_back(std::move(t));
    }
    std::string json = header.dump();
    json.append((8 - json.size() % 8) % 8, ' ');  // keeps the data 8-byte aligned, as the reference writer does
    std::string out;
    out.reserve(8 + json.size() + offset);
    put_le<std::uint64_t>(out, json.size());
    out += json;
    for (const at::Tensor& t : contiguous)
        out.append(static_cast<const char*>(t.data_ptr()), t.numel() * t.element_size());
    return out;
}

void SafetensorsView::fail(const std::string& reason) const { throw Error(what_ + ": " + reason); }

SafetensorsView::SafetensorsView(const char* data, std::size_t size, std::string what) : what_(std::move(what)) {
    if (size < 8) fail("tensor data truncated (" + std::to_string(size) + " bytes, no header length)");
    const auto header_size = get_le<std::uint64_t>(data);
    if (header_size > kMaxHeaderBytes || header_size > size - 8)
        fail("tensor header length " + std::to_string(header_size) + " exceeds the " + std::to_string(size - 8) +
             " bytes that follow it");
    const std::size_t data_size = size - 8 - header_size;
    data_ = data + 8 + header_size;
    data_bytes_ = data_size;

    nlohmann::json header;
    try {
        header = nlohmann::json::parse(data + 8, data + 8 + header_size);
    } catch (const nlohmann::json::exception& e) {
        fail(std::string("tensor header is not valid JSON (") + e.what() + ")");
    }
    if (!header.is_object()) fail("tensor header is not a JSON object");

    std::vector<std::pair<std::size_t, std::size_t>> ranges;
    for (const auto& [name, value] : header.items()) {
        if (name == "__metadata__") {
            if (!value.is_object()) fail("tensor header field '__metadata__' is not an object");
            for (const auto& [key, text] : value.items()) {
                if (!text.is_string()) fail("metadata '" + key + "' is not a string");
                metadata_[key] = text.get<std::string>();
            }
            continue;
        }
        const std::string field = "tensor '" + name + "'";
        if (!value.is_object() || !value.contains("dtype") || !value.contains("shape") || !value.contains("data_offsets"))
            fail(field + " lacks dtype, shape or data_offsets");
        const auto& dtype = value.at("dtype");
        if (!dtype.is_string() || !find_dtype(dtype.get<std::string>()))
            fail(field + " has dtype " + dtype.dump() + ", which is not one LatentLab reads");
        Entry e;
        e.dtype = dtype.get<std::string>();
        const auto& shape = value.at("shape");
        if (!shape.is_array() || shape.size() > kMaxDims) fail(field + " has an invalid shape " + shape.dump());
        std::uint64_t elements = 1;
        for (const auto& d : shape) {
            if (!d.is_number_unsigned() || d.get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
                fail(field + " has an invalid shape " + shape.dump());
            const auto n = d.get<std::uint64_t>();
            if (n != 0 && elements > data_size / n) elements = data_size + 1;  // more than the file can hold
            else elements *= n;
            e.shape.push_back(static_cast<std::int64_t>(n));
        }
        const auto& offsets = value.at("data_offsets");
        if (!offsets.is_array() || offsets.size() != 2 || !offsets[0].is_number_unsigned() || !offsets[1].is_number_unsigned())
            fail(field + " has invalid data_offsets " + offsets.dump());
        const auto begin = offsets[0].get<std::uint64_t>(), end = offsets[1].get<std::uint64_t>();
        if (begin > end || end > data_size)
            fail(field + " has data_offsets " + offsets.dump() + " outside the " + std::to_string(data_size) + " data bytes");
        const std::uint64_t element_size = c10::elementSize(find_dtype(e.dtype)->type);
        if (elements > data_size || elements * element_size != end - begin)
            fail(field + " has shape " + shape.dump() + " of " + e.dtype + ", which does not fill its " +
                 std::to_string(end - begin) + " bytes");
        e.begin = begin;
        e.end = end;
        ranges.emplace_back(begin, end);
        entries_.emplace(name, std::move(e));
    }
    // The tensors tile the data section: no gaps, no overlaps, nothing after.
    std::sort(ranges.begin(), ranges.end());
    std::size_t next = 0;
    for (const auto& [begin, end] : ranges) {
        if (begin != next) fail("tensor data has " + std::string(begin < next ? "overlapping tensors" : "a gap") + " at byte " + std::to_string(begin));
        next = end;
    }
    if (next != data_size) fail("tensor data has " + std::to_string(data_size - next) + " bytes no tensor uses");
}

const SafetensorsView::Entry& SafetensorsView::entry(const std::string& name) const {
    const auto it = entries_.find(name);
    if (it == entries_.end()) fail("holds no tensor '" + name + "'");
    return it->second;
}

at::Tensor SafetensorsView::tensor(const std::string& name) const {
    const Entry& e = entry(name);
    at::Tensor t = at::empty(e.shape, at::TensorOptions().dtype(find_dtype(e.dtype)->type));
    if (e.end > e.begin) std::memcpy(t.data_ptr(), data_ + e.begin, e.end - e.begin);
    return t;
}

} // namespace latentlab
