// SPDX-License-Identifier: GPL-3.0-or-later
#include "checkpoint/pth_file.h"

#include <cstring>
#include <filesystem>
#include <limits>
#include <map>
#include <memory>
#include <unordered_map>

#include <ATen/ops/empty.h>
#include <caffe2/serialize/inline_container.h>

#include "common/error.h"

namespace latentlab {
namespace {

constexpr std::size_t kMaxPickleBytes = 64u << 20;  // a state_dict's pickle is a few KB
constexpr std::size_t kMaxStack = 1u << 16;
constexpr std::size_t kMaxMemo = 1u << 20;
constexpr int kMaxDims = 8;

struct Value;
using ValuePtr = std::shared_ptr<Value>;

// What the restricted unpickler can build.
struct Value {
    enum class Kind { None, Bool, Int, Float, String, Tuple, List, Dict, Global, Tensor, Storage };
    Kind kind = Kind::None;
    bool boolean = false;
    std::int64_t integer = 0;
    double real = 0.0;
    std::string text;                                  // String; Global as "module.name"
    std::vector<ValuePtr> items;                       // Tuple, List
    std::vector<std::pair<ValuePtr, ValuePtr>> pairs;  // Dict, in insertion order
    at::Tensor tensor;                                 // Tensor; Storage as a 1-D tensor of its dtype
};

ValuePtr make(Value::Kind kind) {
    auto v = std::make_shared<Value>();
    v->kind = kind;
    return v;
}

// The legacy typed-storage classes torch.save names in a storage's id.
const std::map<std::string, c10::ScalarType>& storage_types() {
    static const std::map<std::string, c10::ScalarType> types{
        {"torch.FloatStorage", c10::kFloat}, {"torch.DoubleStorage", c10::kDouble}, {"torch.HalfStorage", c10::kHalf},
        {"torch.BFloat16Storage", c10::kBFloat16}, {"torch.LongStorage", c10::kLong}, {"torch.IntStorage", c10::kInt},
        {"torch.ShortStorage", c10::kShort}, {"torch.CharStorage", c10::kChar}, {"torch.ByteStorage", c10::kByte},
        {"torch.BoolStorage", c10::kBool},
    };
    return types;
}

class Unpickler {
public:
    Unpickler(const std::string& path, const std::string& pickle, caffe2::serialize::PyTorchStreamReader& zip,
              std::uint64_t file_size)
        : path_(path), data_(pickle), zip_(zip), file_size_(file_size) {}

    ValuePtr run() {
        while (true) {
            const std::size_t at = pos_;
            const auto op = static_cast<unsigned char>(take(1)[0]);
            switch (op) {
            case 0x80: take(1); break;                 // PROTO
            case 0x95: take(8); break;                 // FRAME
            case '}': push(make(Value::Kind::Dict)); break;
            case ']': push(make(Value::Kind::List)); break;
            case ')': push(make(Value::Kind::Tuple)); break;
            case 'N': push(make(Value::Kind::None)); break;
            case 0x88: case 0x89: {
                auto v = make(Value::Kind::Bool);
                v->boolean = op == 0x88;
                push(v);
                break;
            }
            case 'K': push_int(static_cast<unsigned char>(take(1)[0])); break;
            case 'M': push_int(little<std::uint16_t>(take(2))); break;
            case 'J': push_int(static_cast<std::int32_t>(little<std::uint32_t>(take(4)))); break;
            case 0x8a: {                              // LONG1
                const auto n = static_cast<unsigned char>(take(1)[0]);
                if (n > 8) fail("an integer of " + std::to_string(n) + " bytes at byte " + std::to_string(at));
                const char* b = take(n);
                std::uint64_t u = 0;
                for (unsigned i = 0; i < n; ++i) u |= static_cast<std::uint64_t>(static_cast<unsigned char>(b[i])) << (8 * i);
                if (n > 0 && n < 8 && (static_cast<unsigned char>(b[n - 1]) & 0x80)) u |= ~std::uint64_t{0} << (8 * n);
                push_int(static_cast<std::int64_t>(u));
                break;
            }
            case 'G': {                               // BINFLOAT, big endian
                const char* b = take(8);
                std::uint64_t u = 0;
                for (int i = 0; i < 8; ++i) u = (u << 8) | static_cast<unsigned char>(b[i]);
                auto v = make(Value::Kind::Float);
                std::memcpy(&v->real, &u, 8);
                push(v);
                break;
            }
            case 'X': push_string(little<std::uint32_t>(take(4))); break;
            case 0x8c: case 'U': push_string(static_cast<unsigned char>(take(1)[0])); break;
            case 'T': push_string(little<std::uint32_t>(take(4))); break;
            case 0x8d: {                              // BINUNICODE8
                const auto n = little<std::uint64_t>(take(8));
                if (n > data_.size()) fail("a string longer than the pickle");
                push_string(static_cast<std::size_t>(n));
                break;
            }
            case '(': marks_.push_back(stack_.size()); break;
            case 'q': memo(static_cast<unsigned char>(take(1)[0])); break;
            case 'r': memo(little<std::uint32_t>(take(4))); break;
            case 0x94: memo(static_cast<std::uint32_t>(memo_.size())); break;
            case 'h': recall(static_cast<unsigned char>(take(1)[0])); break;
            case 'j': recall(little<std::uint32_t>(take(4))); break;
            case 0x85: tuple_of(1); break;
            case 0x86: tuple_of(2); break;
            case 0x87: tuple_of(3); break;
            case 't': {
                auto v = make(Value::Kind::Tuple);
                v->items = pop_to_mark();
                push(v);
                break;
            }
            case 'c': {                               // GLOBAL module\nname\n
                const std::string module = line(), name = line();
                push_global(module, name);
                break;
            }
            case 0x93: {                              // STACK_GLOBAL
                const ValuePtr name = pop(), module = pop();
                if (module->kind != Value::Kind::String || name->kind != Value::Kind::String) fail("a malformed global");
                push_global(module->text, name->text);
                break;
            }
            case 'Q': push(storage(pop())); break;   // BINPERSID
            case 0x81:                                // NEWOBJ: cls(*args), as pickled objects are made
            case 'R': {                               // REDUCE
                const ValuePtr args = pop(), callable = pop();
                push(reduce(callable, args));
                break;
            }
            case 's': {
                const ValuePtr value = pop(), key = pop();
                dict_at(top())->pairs.emplace_back(key, value);
                break;
            }
            case 'u': {
                auto items = pop_to_mark();
                if (items.size() % 2) fail("SETITEMS with an odd number of items");
                auto dict = dict_at(top());
                for (std::size_t i = 0; i < items.size(); i += 2) dict->pairs.emplace_back(items[i], items[i + 1]);
                break;
            }
            case 'a': {
                const ValuePtr item = pop();
                list_at(top())->items.push_back(item);
                break;
            }
            case 'e': {
                auto items = pop_to_mark();
                auto list = list_at(top());
                list->items.insert(list->items.end(), items.begin(), items.end());
                break;
            }
            case 'b': pop(); break;                   // BUILD: the state (e.g. a state_dict's _metadata) is not needed
            case '0': pop(); break;                   // POP
            case '1': pop_to_mark(); break;           // POP_MARK
            case '2': push(top()); break;             // DUP
            case '.': return pop();                   // STOP
            default:
                fail("pickle opcode 0x" + hex(op) + " at byte " + std::to_string(at) + " is not one a weights file uses");
            }
        }
    }

private:
    [[noreturn]] void fail(const std::string& reason) const { throw Error(path_ + ": " + reason); }

    static std::string hex(unsigned v) {
        const char* digits = "0123456789abcdef";
        return std::string{digits[(v >> 4) & 15], digits[v & 15]};
    }

    const char* take(std::size_t n) {
        if (n > data_.size() - pos_) fail("the pickle ends early (byte " + std::to_string(data_.size()) + ")");
        const char* p = data_.data() + pos_;
        pos_ += n;
        return p;
    }

    template <typename T>
    static T little(const char* p) {
        T v = 0;
        for (std::size_t i = 0; i < sizeof(T); ++i) v |= static_cast<T>(static_cast<unsigned char>(p[i])) << (8 * i);
        return v;
    }

    std::string line() {
        const auto end = data_.find('\n', pos_);
        if (end == std::string::npos || end - pos_ > 256) fail("a malformed global name");
        std::string s = data_.substr(pos_, end - pos_);
        pos_ = end + 1;
        return s;
    }

    void push(ValuePtr v) {
        if (stack_.size() >= kMaxStack) fail("the pickle nests too deeply");
        stack_.push_back(std::move(v));
    }
    void push_int(std::int64_t i) {
        auto v = make(Value::Kind::Int);
        v->integer = i;
        push(v);
    }
    void push_string(std::size_t n) {
        auto v = make(Value::Kind::String);
        v->text.assign(take(n), n);
        push(v);
    }
    void push_global(const std::string& module, const std::string& name) {
        auto v = make(Value::Kind::Global);
        v->text = module + "." + name;
        push(v);
    }
    ValuePtr pop() {
        if (stack_.empty() || (!marks_.empty() && stack_.size() <= marks_.back())) fail("the pickle's stack underflows");
        ValuePtr v = std::move(stack_.back());
        stack_.pop_back();
        return v;
    }
    const ValuePtr& top() const {
        if (stack_.empty()) fail("the pickle's stack underflows");
        return stack_.back();
    }
    std::vector<ValuePtr> pop_to_mark() {
        if (marks_.empty()) fail("the pickle has no mark to pop to");
        const std::size_t mark = marks_.back();
        marks_.pop_back();
        std::vector<ValuePtr> items(stack_.begin() + static_cast<std::ptrdiff_t>(mark), stack_.end());
        stack_.resize(mark);
        return items;
    }
    void tuple_of(std::size_t n) {
        auto v = make(Value::Kind::Tuple);
        v->items.resize(n);
        for (std::size_t i = n; i-- > 0;) v->items[i] = pop();
        push(v);
    }
    void memo(std::uint32_t index) {
        if (memo_.size() >= kMaxMemo && !memo_.count(index)) fail("the pickle's memo is too large");
        memo_[index] = top();
    }
    void recall(std::uint32_t index) {
        const auto it = memo_.find(index);
        if (it == memo_.end()) fail("the pickle refers to memo entry " + std::to_string(index) + ", which it never stored");
        push(it->second);
    }
    ValuePtr dict_at(const ValuePtr& v) const {
        if (v->kind != Value::Kind::Dict) fail("the pickle sets an item on something that is not a dict");
        return v;
    }
    ValuePtr list_at(const ValuePtr& v) const {
        if (v->kind != Value::Kind::List) fail("the pickle appends to something that is not a list");
        return v;
    }

    std::int64_t int_of(const ValuePtr& v, const char* what) const {
        if (v->kind != Value::Kind::Int) fail(std::string("a tensor's ") + what + " is not an integer");
        return v->integer;
    }

    std::vector<std::int64_t> ints_of(const ValuePtr& v, const char* what) const {
        if (v->kind != Value::Kind::Tuple || v->items.size() > kMaxDims) fail(std::string("a tensor's ") + what + " is not a tuple of sizes");
        std::vector<std::int64_t> out;
        for (const auto& item : v->items) {
            const std::int64_t i = int_of(item, what);
            if (i < 0) fail(std::string("a tensor's ") + what + " is negative");
            out.push_back(i);
        }
        return out;
    }

    // ('storage', torch.FloatStorage, key, location, numel) -> the storage's bytes as a 1-D tensor.
    ValuePtr storage(const ValuePtr& pid) {
        if (pid->kind != Value::Kind::Tuple || pid->items.size() != 5 || pid->items[0]->kind != Value::Kind::String ||
            pid->items[0]->text != "storage" || pid->items[1]->kind != Value::Kind::Global ||
            pid->items[2]->kind != Value::Kind::String)
            fail("a persistent id that is not a tensor storage");
        const auto type = storage_types().find(pid->items[1]->text);
        if (type == storage_types().end()) fail("storage type " + pid->items[1]->text + " is not one LatentLab reads");
        const std::string& key = pid->items[2]->text;
        if (const auto it = storages_.find(key); it != storages_.end()) return it->second;
        const std::int64_t numel = int_of(pid->items[4], "storage size");
        const std::string record = "data/" + key;
        if (!zip_.hasRecord(record)) fail("storage '" + key + "' has no record in the archive");
        const std::size_t bytes = zip_.getRecordSize(record);
        const std::size_t element = c10::elementSize(type->second);
        if (numel < 0 || bytes > file_size_ || bytes != static_cast<std::uint64_t>(numel) * element)
            fail("storage '" + key + "' holds " + std::to_string(bytes) + " bytes, not " + std::to_string(numel) +
                 " elements of " + std::to_string(element));
        auto v = make(Value::Kind::Storage);
        v->tensor = at::empty({numel}, at::TensorOptions().dtype(type->second));
        if (bytes > 0 && zip_.getRecord(record, v->tensor.data_ptr(), bytes) != bytes)
            fail("storage '" + key + "' could not be read");
        storages_.emplace(key, v);
        return v;
    }

    ValuePtr reduce(const ValuePtr& callable, const ValuePtr& args) {
        if (callable->kind != Value::Kind::Global || args->kind != Value::Kind::Tuple)
            fail("the pickle calls something that is not a named function");
        const std::string& name = callable->text;
        const auto& a = args->items;
        if (name == "collections.OrderedDict") {
            if (!a.empty()) fail("collections.OrderedDict is called with arguments");
            return make(Value::Kind::Dict);
        }
        if (name == "torch._utils._rebuild_tensor_v2") {
            if (a.size() < 6 || a[0]->kind != Value::Kind::Storage) fail("_rebuild_tensor_v2 is called with the wrong arguments");
            const at::Tensor& storage = a[0]->tensor;
            const std::int64_t offset = int_of(a[1], "storage offset");
            const auto size = ints_of(a[2], "size"), stride = ints_of(a[3], "stride");
            if (size.size() != stride.size()) fail("a tensor's size and stride differ in length");
            // The furthest element the view reaches must lie inside the storage.
            bool empty = false;
            std::uint64_t last = static_cast<std::uint64_t>(offset);
            for (std::size_t i = 0; i < size.size(); ++i) {
                if (size[i] == 0) empty = true;
                std::uint64_t reach = 0;
                if (size[i] > 0 && (__builtin_mul_overflow(static_cast<std::uint64_t>(size[i] - 1),
                                                           static_cast<std::uint64_t>(stride[i]), &reach) ||
                                    __builtin_add_overflow(last, reach, &last)))
                    fail("a tensor's view overflows");
            }
            if (offset < 0 || (!empty && last >= static_cast<std::uint64_t>(storage.numel())))
                fail("a tensor reaches past its storage (" + std::to_string(storage.numel()) + " elements)");
            auto v = make(Value::Kind::Tensor);
            v->tensor = storage.as_strided(size, stride, offset).clone(at::MemoryFormat::Contiguous);
            return v;
        }
        if (name == "torch._utils._rebuild_parameter") {
            if (a.empty() || a[0]->kind != Value::Kind::Tensor) fail("_rebuild_parameter is called with the wrong arguments");
            return a[0];
        }
        if (name.rfind("torch.nn.", 0) == 0 || name.rfind("__main__.", 0) == 0)
            fail("holds a whole pickled model (" + name + "), not a state_dict; save it with torch.save(model.state_dict(), f)");
        fail(name + " is not allowed in a weights file (only tensors, numbers, strings and containers are read)");
    }

    const std::string& path_;
    const std::string& data_;
    caffe2::serialize::PyTorchStreamReader& zip_;
    std::uint64_t file_size_;
    std::size_t pos_ = 0;
    std::vector<ValuePtr> stack_;
    std::vector<std::size_t> marks_;
    std::unordered_map<std::uint32_t, ValuePtr> memo_;
    std::map<std::string, ValuePtr> storages_;
};

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

} // namespace

NamedTensors read_pth_state_dict(const std::string& path) {
    std::error_code ec;
    const std::uint64_t file_size = std::filesystem::file_size(path, ec);
    if (ec) throw Error(path + ": cannot open the file (" + ec.message() + ")");
    std::unique_ptr<caffe2::serialize::PyTorchStreamReader> zip;
    std::string pickle;
    try {
        zip = std::make_unique<caffe2::serialize::PyTorchStreamReader>(path);
        if (!zip->hasRecord("data.pkl")) throw Error(path + ": not a PyTorch file (no data.pkl in the archive)");
        const std::size_t size = zip->getRecordSize("data.pkl");
        if (size > kMaxPickleBytes || size > file_size) throw Error(path + ": data.pkl is " + std::to_string(size) + " bytes, more than a state_dict needs");
        pickle.resize(size);
        if (zip->getRecord("data.pkl", pickle.data(), size) != size) throw Error(path + ": data.pkl could not be read");
        if (zip->hasRecord("byteorder")) {
            std::string order(zip->getRecordSize("byteorder") > 16 ? 16 : zip->getRecordSize("byteorder"), '\0');
            zip->getRecord("byteorder", order.data(), order.size());
            if (order != "little") throw Error(path + ": written on a big-endian machine (byteorder '" + order + "')");
        }
    } catch (const Error&) {
        throw;
    } catch (const std::exception& e) {
        throw Error(path + ": not a PyTorch zip file (" + first_line(e.what()) + ")");
    }

    ValuePtr root;
    try {
        root = Unpickler(path, pickle, *zip, file_size).run();
    } catch (const Error&) {
        throw;
    } catch (const std::exception& e) {
        throw Error(path + ": unreadable tensor data (" + first_line(e.what()) + ")");
    }
    if (root->kind != Value::Kind::Dict) throw Error(path + ": does not hold a state_dict (a dict of tensors)");
    NamedTensors tensors;
    for (const auto& [key, value] : root->pairs) {
        if (key->kind != Value::Kind::String) throw Error(path + ": the state_dict has a key that is not a string");
        if (value->kind != Value::Kind::Tensor) throw Error(path + ": '" + key->text + "' is not a tensor");
        tensors.emplace_back(key->text, value->tensor);
    }
    return tensors;
}

} // namespace latentlab
