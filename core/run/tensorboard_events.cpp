// SPDX-License-Identifier: GPL-3.0-or-later
#include "run/tensorboard_events.h"

#include <stdexcept>

#include "run/tensorboard_event.pb.h"

namespace latentlab::tensorboard {
namespace {

Event event_at(double wall_time, std::int64_t step) {
    Event e;
    e.set_wall_time(wall_time);
    e.set_step(step);
    return e;
}

std::string serialised(const Event& e) {
    std::string bytes;
    if (!e.SerializeToString(&bytes)) throw std::runtime_error("cannot encode a TensorBoard event");
    return bytes;
}

} // namespace

std::string file_version_event(double wall_time) {
    Event e = event_at(wall_time, 0);
    e.set_file_version("brain.Event:2");
    return serialised(e);
}

std::string session_start_event(double wall_time, std::int64_t step, const std::string& message) {
    Event e = event_at(wall_time, step);
    e.mutable_session_log()->set_status(SessionLog::START);
    e.mutable_session_log()->set_msg(message);
    return serialised(e);
}

std::string scalars_event(double wall_time, std::int64_t step, const std::vector<std::pair<std::string, float>>& values) {
    Event e = event_at(wall_time, step);
    for (const auto& [tag, value] : values) {
        SummaryValue* v = e.mutable_summary()->add_value();
        v->set_tag(tag);
        v->set_simple_value(value);
    }
    return serialised(e);
}

std::string image_event(double wall_time, std::int64_t step, const std::string& tag, int width, int height, int channels,
                        std::string png) {
    Event e = event_at(wall_time, step);
    SummaryValue* v = e.mutable_summary()->add_value();
    v->set_tag(tag);
    SummaryImage* image = v->mutable_image();
    image->set_width(width);
    image->set_height(height);
    image->set_colorspace(channels);
    image->set_encoded_image_string(std::move(png));
    return serialised(e);
}

} // namespace latentlab::tensorboard
