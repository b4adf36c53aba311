// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "data/decoded_images.h"

#include <cstdint>
#include <string>
#include <vector>

namespace latentlab {

// The contents of CelebA's list_attr_celeba.txt:
//   line 1: the number of images
//   line 2: the attribute names, separated by white space
//   then one line per image: "000001.jpg -1  1  1 ..." (values 1 or -1,
//   any amount of spaces or tabs between fields).
struct CelebaAttributeFile {
    std::vector<std::string> names;                // attribute names, in column order
    std::vector<std::string> files;                // image file names, one per row
    std::vector<std::vector<std::int8_t>> rows;    // rows[i] has names.size() values, each +1 or -1
};

// Reads an attribute file. Windows line ends and trailing blank lines are
// accepted. Throws latentlab::Error "<path>:<line>: <reason>" for a bad count
// (including one that more lines than the file's size allows would need,
// checked before anything is reserved for them), no attribute names, a row with the wrong number of values, a value other
// than 1 / -1, a repeated image name, or fewer / more rows than line 1 says;
// "<path>: cannot open (...)" when the file cannot be read.
CelebaAttributeFile read_celeba_attributes(const std::string& path);

// Writes an attribute file in the same format (CelebA's own spacing: each
// value right-aligned in two characters after one space). image_names[i]
// labels table.values[i]. Throws latentlab::Error when the sizes disagree, a
// name is empty or contains white space, a value is not 1 / -1, or the file
// cannot be written.
void write_celeba_attributes(const std::string& path, const std::vector<std::string>& image_names,
                             const AttributeTable& table);

} // namespace latentlab
