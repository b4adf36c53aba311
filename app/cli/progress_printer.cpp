// SPDX-License-Identifier: GPL-3.0-or-later
#include "progress_printer.h"

#include <string>

#include <unistd.h>

namespace latentlab::cli {
ProgressPrinter::ProgressPrinter(std::FILE* out) : out_(out), terminal_(::isatty(::fileno(out)) != 0) {}

void ProgressPrinter::end_line() {
    if (line_open_) std::fputc('\n', out_);
    line_open_ = false;
}

void ProgressPrinter::on_start(const TrainingStart& s) {
    log_every_ = s.config.log_every;
    epochs_ = s.config.epochs;
    batches_ = s.batches_per_epoch;
    total_ = s.total_iterations();
    batch_size_ = s.config.batch_size;
    std::fprintf(out_, "%s on %s: %lld images, %lld iterations per epoch, %d epochs, batch %d, %dx%d, %d channel(s)\n",
                 s.resumed ? "resuming" : "training", s.device.c_str(), static_cast<long long>(s.images),
                 static_cast<long long>(s.batches_per_epoch), s.config.epochs, s.config.batch_size,
                 s.config.model.image_size, s.config.model.image_size, s.config.model.channels);
    if (s.batches_on_device)
        std::fprintf(out_, "batches are made on %s from the images uploaded once\n", s.device.c_str());
    if (s.resumed)
        std::fprintf(out_, "continuing at epoch %lld, iteration %lld\n", static_cast<long long>(s.start_epoch + 1),
                     static_cast<long long>(s.start_iteration));
    std::fflush(out_);
}

void ProgressPrinter::on_iteration(const IterationMetrics& m) {
    const bool plain_due = m.iteration % log_every_ == 0 || m.batch + 1 == batches_ || !m.finite;
    if (!terminal_ && !plain_due) return;
    const double rate = m.avg_images_per_second > 0 ? m.avg_images_per_second : m.images_per_second;
    const double eta = eta_seconds(m, batch_size_, total_);
    char line[320];
    std::snprintf(line, sizeof line,
                  "[%lld/%lld][%lld/%lld] Loss_D %.4f Loss_G %.4f D(x) %.4f D(G(z)) %.4f / %.4f  %.1f img/s  ETA %s",
                  static_cast<long long>(m.epoch + 1), static_cast<long long>(epochs_),
                  static_cast<long long>(m.batch + 1), static_cast<long long>(batches_), m.loss_d, m.loss_g, m.d_x,
                  m.d_g_z1, m.d_g_z2, rate, format_duration(eta).c_str());
    if (terminal_) {
        std::fprintf(out_, "\r%s\033[K", line);
        line_open_ = true;
    } else {
        std::fprintf(out_, "%s\n", line);
    }
    std::fflush(out_);
}

void ProgressPrinter::on_epoch_end(const EpochSummary& s) {
    end_line();
    std::fprintf(out_,
                 "epoch %lld done in %s: Loss_D %.4f Loss_G %.4f D(x) %.3f D(G(z)) %.3f acc real %.2f fake %.2f, "
                 "%.1f img/s, data wait %.1f%%\n",
                 static_cast<long long>(s.epoch + 1), format_duration(s.seconds).c_str(), s.loss_d, s.loss_g, s.d_x,
                 s.d_g_z1, s.accuracy_real, s.accuracy_fake, s.images_per_second, 100.0 * s.data_wait_share);
    std::fflush(out_);
}

void ProgressPrinter::on_cross_validation(const CrossValidation& cv) {
    end_line();
    // e.g. "cross-validation: G1 0.31 [0.12 0.31 0.40]  G2 0.05 [...]  best G1"
    std::fprintf(out_, "cross-validation:");
    for (std::size_t i = 0; i < cv.fooled.size(); ++i) {
        std::fprintf(out_, "  G%zu %.2f [", i + 1, cv.scores[i]);
        for (std::size_t j = 0; j < cv.fooled[i].size(); ++j) std::fprintf(out_, j ? " %.2f" : "%.2f", cv.fooled[i][j]);
        std::fprintf(out_, "]");
    }
    std::fprintf(out_, "  best G%d\n", cv.best + 1);
    std::fflush(out_);
}

void ProgressPrinter::on_checkpoint(const std::string& path, bool healthy) {
    end_line();
    std::fprintf(out_, "checkpoint %s%s\n", path.c_str(), healthy ? "" : " (after a non-finite loss; latest.llck kept)");
    std::fflush(out_);
}

void ProgressPrinter::on_notice(const std::string& text) {
    end_line();
    std::fprintf(out_, "note: %s\n", text.c_str());
    std::fflush(out_);
}

void ProgressPrinter::on_end(const TrainingEnd& end) {
    end_line();
    std::fprintf(out_, "%s at iteration %lld%s%s\n", to_string(end.reason).c_str(), static_cast<long long>(end.iteration),
                 end.message.empty() ? "" : ": ", end.message.c_str());
    std::fflush(out_);
}

} // namespace latentlab::cli
