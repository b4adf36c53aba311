// SPDX-License-Identifier: GPL-3.0-or-later
#include "data/celeba_attributes.h"

#include "common/error.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unordered_set>

namespace latentlab {
namespace {

std::vector<std::string> split_fields(const std::string& line) {
    std::vector<std::string> fields;
    std::istringstream in(line);
    std::string f;
    while (in >> f) fields.push_back(f);
    return fields;
}

bool has_space(const std::string& s) {
    return std::any_of(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c) != 0; });
}

bool blank(const std::string& s) {
    return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c) != 0; });
}

} // namespace

CelebaAttributeFile read_celeba_attributes(const std::string& path) {
    errno = 0;
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(path + ": cannot open (" + std::strerror(errno ? errno : ENOENT) + ")");
    std::error_code size_error;
    const std::uint64_t file_size = std::filesystem::file_size(path, size_error);
    if (size_error) throw Error(path + ": cannot read its size (" + size_error.message() + ")");
    auto fail = [&](std::size_t line, const std::string& reason) -> Error {
        return Error(path + ":" + std::to_string(line) + ": " + reason);
    };

    std::string line;
    std::size_t line_no = 0;
    auto next_line = [&]() -> bool {
        if (!std::getline(in, line)) return false;
        ++line_no;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        return true;
    };

    if (!next_line()) throw fail(1, "empty file, expected the image count");
    const auto count_fields = split_fields(line);
    long long count = -1;
    if (count_fields.size() == 1) {
        try {
            std::size_t used = 0;
            count = std::stoll(count_fields[0], &used);
            if (used != count_fields[0].size()) count = -1;
        } catch (const std::exception&) {
            count = -1;
        }
    }
    if (count < 0 || count > 100000000)
        throw fail(1, "expected the image count, found \"" + line.substr(0, 40) + "\"");

    CelebaAttributeFile file;
    if (!next_line()) throw fail(2, "file ends before the attribute names");
    file.names = split_fields(line);
    if (file.names.empty()) throw fail(2, "no attribute names");
    const std::size_t width = file.names.size();

    // The shortest image line is a one-character name and width values of
    // "1", each after one blank, then a line end: the file's size bounds the
    // count before anything is reserved for it.
    const std::uint64_t header_end = static_cast<std::uint64_t>(in.tellg() < 0 ? 0 : std::streamoff(in.tellg()));
    const std::uint64_t rest = file_size > header_end ? file_size - header_end : 0;
    const std::uint64_t min_line = 1 + 2 * static_cast<std::uint64_t>(width) + 1;
    const std::uint64_t room = (rest + 1) / min_line;  // the last line may lack its line end
    if (static_cast<std::uint64_t>(count) > room)
        throw fail(1, "the image count " + std::to_string(count) + " does not fit in the file: its " +
                          std::to_string(rest) + " bytes after the header hold at most " + std::to_string(room) +
                          " image lines of " + std::to_string(width) + " values");

    file.files.reserve(static_cast<std::size_t>(count));
    file.rows.reserve(static_cast<std::size_t>(count));
    std::unordered_set<std::string> seen;
    while (next_line()) {
        if (blank(line)) continue;
        if (file.rows.size() == static_cast<std::size_t>(count))
            throw fail(line_no, "more image lines than the " + std::to_string(count) + " announced on line 1");
        auto fields = split_fields(line);
        if (fields.size() != width + 1)
            throw fail(line_no, "expected an image name and " + std::to_string(width) + " values, found " +
                                    std::to_string(fields.size()) + " fields");
        std::vector<std::int8_t> row(width);
        for (std::size_t i = 0; i < width; ++i) {
            const std::string& v = fields[i + 1];
            if (v == "1" || v == "+1") row[i] = 1;
            else if (v == "-1") row[i] = -1;
            else throw fail(line_no, "value \"" + v + "\" for " + file.names[i] + " is not 1 or -1");
        }
        if (!seen.insert(fields[0]).second) throw fail(line_no, "image " + fields[0] + " is listed twice");
        file.files.push_back(std::move(fields[0]));
        file.rows.push_back(std::move(row));
    }
    if (in.bad()) throw Error(path + ": read error after line " + std::to_string(line_no));
    if (file.rows.size() != static_cast<std::size_t>(count))
        throw fail(line_no + 1, "file ends after " + std::to_string(file.rows.size()) + " of the " +
                                    std::to_string(count) + " image lines announced on line 1");
    return file;
}

void write_celeba_attributes(const std::string& path, const std::vector<std::string>& image_names,
                             const AttributeTable& table) {
    if (table.names.empty()) throw Error(path + ": no attribute names to write");
    if (image_names.size() != table.values.size())
        throw Error(path + ": " + std::to_string(image_names.size()) + " image names but " +
                    std::to_string(table.values.size()) + " attribute rows");
    for (const std::string& n : table.names)
        if (n.empty() || has_space(n)) throw Error(path + ": invalid attribute name \"" + n + "\"");

    std::ostringstream text;
    text << image_names.size() << '\n';
    for (std::size_t i = 0; i < table.names.size(); ++i) text << (i ? " " : "") << table.names[i];
    text << '\n';
    for (std::size_t r = 0; r < image_names.size(); ++r) {
        const std::string& name = image_names[r];
        if (name.empty() || has_space(name)) throw Error(path + ": invalid image name \"" + name + "\"");
        const auto& row = table.values[r];
        if (row.size() != table.names.size())
            throw Error(path + ": row " + std::to_string(r) + " (" + name + ") has " + std::to_string(row.size()) +
                        " values, expected " + std::to_string(table.names.size()));
        text << name;
        for (std::size_t i = 0; i < row.size(); ++i) {
            if (row[i] != 1 && row[i] != -1)
                throw Error(path + ": value " + std::to_string(row[i]) + " of " + table.names[i] + " for " + name +
                            " is not 1 or -1");
            text << (row[i] == 1 ? "  1" : " -1");
        }
        text << '\n';
    }

    errno = 0;
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) throw Error(path + ": cannot write (" + std::strerror(errno ? errno : EACCES) + ")");
    const std::string s = text.str();
    out.write(s.data(), static_cast<std::streamsize>(s.size()));
    out.close();
    if (!out) throw Error(path + ": write failed (disk full?)");
}

} // namespace latentlab
