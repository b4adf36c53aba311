# SPDX-License-Identifier: GPL-3.0-or-later
# Tests of the LibTorch half of core/ and of latentlab-cli.
latentlab_add_test(test_models SOURCES test_models.cpp LIBS latentlab_core LABELS core)
latentlab_add_test(test_latent SOURCES test_latent.cpp LIBS latentlab_core LABELS core)
latentlab_add_test(test_layouts SOURCES test_layouts.cpp LIBS latentlab_core Qt6::Gui LABELS core)
latentlab_add_test(test_checkpoint SOURCES test_checkpoint.cpp LIBS latentlab_core ZLIB::ZLIB LABELS core)
latentlab_add_test(test_batch_loader SOURCES test_batch_loader.cpp LIBS latentlab_core LABELS core)
latentlab_add_test(test_metrics SOURCES test_metrics.cpp LIBS latentlab_core LABELS core)
latentlab_add_test(test_health_monitor SOURCES test_health_monitor.cpp LIBS latentlab_core LABELS core)
latentlab_add_test(test_decoded_cache SOURCES test_decoded_cache.cpp LIBS latentlab_core LABELS core)
latentlab_add_test(test_engine SOURCES test_engine.cpp LIBS latentlab_core LABELS core)
latentlab_add_test(test_recipe SOURCES test_recipe.cpp LIBS latentlab_core LABELS core)
latentlab_add_test(test_pairs SOURCES test_pairs.cpp LIBS latentlab_core LABELS core)
latentlab_add_test(test_run_lock SOURCES test_run_lock.cpp LIBS latentlab_core LABELS core)
latentlab_add_test(test_projection SOURCES test_projection.cpp LIBS latentlab_core LABELS core)
latentlab_add_test(test_attribute_probe SOURCES test_attribute_probe.cpp LIBS latentlab_core LABELS "core;slow" TIMEOUT 900)
latentlab_add_test(test_resume SOURCES test_resume.cpp LIBS latentlab_core LABELS "core;slow")
latentlab_add_test(test_cli SOURCES test_cli.cpp LIBS Qt6::Gui LABELS slow TIMEOUT 900)
target_compile_definitions(test_cli PRIVATE LATENTLAB_CLI_PATH="$<TARGET_FILE:latentlab-cli>"
  LATENTLAB_CLI_READS_FOLDERS=$<BOOL:${LATENTLAB_HAVE_OPENCV}>)  # image folders need OpenCV
add_dependencies(test_cli latentlab-cli)
foreach(t test_models test_latent test_layouts test_checkpoint test_batch_loader test_engine test_resume test_recipe test_pairs test_run_lock test_projection test_attribute_probe)
  target_precompile_headers(${t} REUSE_FROM latentlab_core)
endforeach()
