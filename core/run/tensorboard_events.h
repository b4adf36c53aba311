// SPDX-License-Identifier: GPL-3.0-or-later
// TensorBoard Event messages, serialised (one TFRecord record each). Built
// apart from the rest of core: LibTorch's include folder carries protobuf
// headers of another version, so nothing that sees the torch headers may
// include the generated code; this interface speaks plain C++ only.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace latentlab::tensorboard {

// The first record of every event file ("brain.Event:2").
std::string file_version_event(double wall_time);
// "The session (re)started at `step`": TensorBoard drops the points a crashed
// run logged after this step in earlier files.
std::string session_start_event(double wall_time, std::int64_t step, const std::string& message);
// Scalar values (tag, value) at `step`.
std::string scalars_event(double wall_time, std::int64_t step, const std::vector<std::pair<std::string, float>>& values);
// One image, `png` being a whole PNG file of width x height with `channels` (1 or 3).
std::string image_event(double wall_time, std::int64_t step, const std::string& tag, int width, int height, int channels,
                        std::string png);

} // namespace latentlab::tensorboard
