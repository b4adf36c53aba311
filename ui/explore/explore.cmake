# SPDX-License-Identifier: GPL-3.0-or-later
# The latent explorer (latentlab_ui_explore, defined in ui/CMakeLists.txt).
set(LATENTLAB_EXPLORE_SOURCES
  explore/explore_jobs.cpp
  explore/generation_worker.cpp
  explore/explore_controller.cpp
  explore/sample_grid_view.cpp
  explore/group_strip.cpp
  explore/arithmetic_view.cpp
  explore/interpolation_view.cpp
  explore/explorer_panel.cpp
  explore/explorer_panel_layout.cpp
  explore/explorer_panel_io.cpp
  explore/explorer_panel_projection.cpp
  explore/explorer_panel_attributes.cpp
  explore/attribute_view.cpp
  explore/probe_training.cpp
  explore/projection_run.cpp
)
