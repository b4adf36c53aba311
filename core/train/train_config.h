// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "common/setting_ranges.h"
#include "models/model_config.h"
#include "train/recipe.h"

namespace latentlab {

inline constexpr int kPrefetchBatches = 4;  // batches the loader keeps ready ahead of the trainer

// Everything that defines a training run. Stored in the run folder as
// config.json and inside every checkpoint.
// The values TrainConfig::data_placement and TrainConfig::precision take
// (what validate(), the command line and the window accept).
const std::vector<std::string>& data_placements();  // auto, host, device
const std::vector<std::string>& precisions();       // auto, fp32, bf16

struct TrainConfig {
    // Starts with the default recipe (kDefaultRecipe).
    TrainConfig();

    std::string data = "synthetic:4096";  // SPEC: synthetic[:N], random[:N], a folder or an IDX file
    std::string run_dir;
    ModelConfig model;                    // model.channels is resolved from the data when channels_auto
    bool channels_auto = true;
    int epochs = 25;
    int batch_size = 64;
    double lr = 2e-4;
    double beta1 = 0.5;
    double beta2 = 0.999;
    std::uint64_t seed = 1;
    std::string device = "auto";          // auto | cpu | cuda | cuda:N
    int workers = 2;                      // data threads (decode and prefetch)
    // Where batches are assembled: "host" (worker threads, as on the CPU),
    // "device" (the images uploaded once, batches made on the training
    // device: DeviceBatches) or "auto" (device on CUDA when the images fit in
    // half the free device memory, else host).
    std::string data_placement = "auto";
    // "fp32", "bf16" (the convolutions under bfloat16 autocast, weights,
    // optimizer state and losses in float32; on CUDA also channels-last) or
    // "auto" (bf16 on a CPU with bfloat16 units, else fp32: uses_bf16).
    std::string precision = "fp32";
    // On CUDA, record the training step in CUDA graphs and replay them
    // (GanPair); off until measured on a GPU. Ignored, with a notice, on the CPU.
    bool cuda_graphs = false;
    int threads = 0;                      // LibTorch CPU threads; 0 = one per core
    int sample_every = 200;               // iterations between sample grids; 0 = only at epoch ends
    int log_every = 10;                   // iterations between metrics.jsonl lines
    double live_sample_seconds = 0;       // > 0: also draw display-only grids this often (the GUI: 1 s)
    int keep_checkpoints = 3;             // the last N are kept, plus latest
    int sample_count = 64;                // images in the fixed-noise grid
    bool flip = false;                    // random horizontal flips
    bool random_crop = false;             // crop at random from a cache 1/8 larger
    bool pause_on_nonfinite = false;      // pause (GUI) instead of stopping (CLI)
    bool tensorboard = true;              // also write RUN/tensorboard/events.out.tfevents.* (TensorboardLog)
    int pairs = 1;                        // independent G/D pairs trained on the same batches, cross-validated
    std::string recipe_name;              // the named recipe the run started from (recipe_names())
    Recipe recipe;                        // what the step does besides the lecture's DCGAN; model.d_norm too

    // Sets recipe_name, recipe and model.d_norm to a named recipe's values.
    void use_recipe(const std::string& name);

    // Throws latentlab::Error naming the first value out of range, or saying
    // how much memory the run needs when that exceeds the machine's physical
    // memory (memory_needed()).
    void validate() const;
    // A lower bound on the host memory the run needs, in bytes: the uint8
    // images of a synthetic or random SPEC at load_size() (file sources are
    // checked once read, by load_data), plus the float32 batches alive at once
    // (kPrefetchBatches ready, the one being trained on, and one copy per pair).
    // Channels are taken as 3 when chosen automatically. Saturates.
    std::uint64_t memory_needed(std::uint64_t* image_bytes = nullptr, std::uint64_t* batch_bytes = nullptr) const;
    // The size images are decoded at: the training size, or 1/8 larger for random crops.
    int load_size() const;
};

nlohmann::json to_json(const TrainConfig& config);
// Missing keys keep their defaults, except the recipe's: a config written
// before recipes existed is the lecture's DCGAN. Wrong types throw
// latentlab::Error.
TrainConfig train_config_from_json(const nlohmann::json& json);

} // namespace latentlab
