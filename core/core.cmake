# SPDX-License-Identifier: GPL-3.0-or-later
# latentlab_core: the LibTorch half of core/.
add_library(latentlab_core STATIC
  models/model_config.cpp
  models/generator.cpp
  models/discriminator.cpp
  models/spectral_norm.cpp
  models/init.cpp
  models/generate.cpp
  latent/latent_ref.cpp
  latent/latent_batch.cpp
  latent/arithmetic.cpp
  latent/interpolation.cpp
  data/batch_loader.cpp
  data/batch_plan.cpp
  data/device_batches.cpp
  data/batch_upload.cpp
  train/train_config.cpp
  train/resume_config.cpp
  train/metrics.cpp
  train/metrics_feed.cpp
  train/engine_control.cpp
  train/device.cpp
  train/recipe.cpp
  train/quick_start.cpp
  train/diff_augment.cpp
  train/gan_loss.cpp
  train/generator_ema.cpp
  train/fused_adam.cpp
  train/gan_step.cpp
  train/step_graph.cpp
  train/gan_pair.cpp
  train/cross_validation.cpp
  train/engine.cpp
  train/health_monitor.cpp
  checkpoint/checkpoint_file.cpp
  checkpoint/safetensors.cpp
  checkpoint/generator_export.cpp
  checkpoint/pth_file.cpp
  checkpoint/pth_import.cpp
  checkpoint/checkpoint_store.cpp
  checkpoint/generator_snapshot.cpp
  latent/latent_views.cpp
  latent/latent_set_file.cpp
  latent/projection.cpp
  latent/attribute_probe.cpp
  latent/attribute_pick.cpp
  latent/attribute_direction.cpp
  run/run_folder.cpp
  run/run_history.cpp
  run/run_lock.cpp
  run/tfrecord.cpp
  common/version.cpp
  common/cuda_backend.cpp
  common/process_setup.cpp
)
target_include_directories(latentlab_core PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})
target_link_libraries(latentlab_core PRIVATE ${CMAKE_DL_LIBS})  # common/cuda_backend.cpp
if(LATENTLAB_HAVE_TENSORBOARD)
  # The event messages, generated into the build tree as run/tensorboard_event.pb.{h,cc},
  # in a library of their own (no LibTorch precompiled header for generated code).
  add_library(latentlab_tensorboard_proto STATIC run/tensorboard_event.proto run/tensorboard_events.cpp)
  protobuf_generate(TARGET latentlab_tensorboard_proto LANGUAGE cpp
    IMPORT_DIRS ${CMAKE_CURRENT_SOURCE_DIR}
    PROTOC_OUT_DIR ${CMAKE_CURRENT_BINARY_DIR}/generated)
  target_include_directories(latentlab_tensorboard_proto PRIVATE ${CMAKE_CURRENT_BINARY_DIR}/generated ${CMAKE_CURRENT_SOURCE_DIR})
  target_link_libraries(latentlab_tensorboard_proto PRIVATE protobuf::libprotobuf-lite)
  target_sources(latentlab_core PRIVATE run/tensorboard_log.cpp)
  target_link_libraries(latentlab_core PRIVATE latentlab_tensorboard_proto)
  target_compile_definitions(latentlab_core PUBLIC LATENTLAB_HAVE_TENSORBOARD)
endif()
target_include_directories(latentlab_core PRIVATE ${PROJECT_BINARY_DIR}/generated)  # latentlab_version.h
target_link_libraries(latentlab_core
  PUBLIC latentlab_imaging ${TORCH_LIBRARIES} nlohmann_json::nlohmann_json Threads::Threads
  PRIVATE ZLIB::ZLIB)
target_compile_options(latentlab_core PUBLIC ${TORCH_CXX_FLAGS})
target_precompile_headers(latentlab_core PRIVATE
  <torch/nn/module.h> <torch/optim/adam.h> <nlohmann/json.hpp> <ATen/ATen.h>)
# The Qt Test executables that reuse this precompiled header are compiled with
# -fPIC (Qt asks for it); GCC ignores a header compiled with other -fpic/-fpie
# settings (-Winvalid-pch), so the library is position-independent too.
set_target_properties(latentlab_core PROPERTIES POSITION_INDEPENDENT_CODE ON)
# The torch wheel's libtorch.so exports its own copy of std::filesystem, which
# crashes when called from our code (remove_all jumps to null). Listing
# libstdc++ first among the needed libraries makes the dynamic linker bind
# those symbols to the system's libstdc++.
target_link_options(latentlab_core INTERFACE "SHELL:-Wl,--push-state,--no-as-needed -lstdc++ -Wl,--pop-state")
