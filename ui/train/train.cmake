# SPDX-License-Identifier: GPL-3.0-or-later
# Sources of latentlab_ui_train, relative to ui/.
set(LATENTLAB_TRAIN_SOURCES
  train/training_feed.cpp
  train/training_controller.cpp
  train/data_scanner.cpp
  train/setup_panel.cpp
  train/setup_panel_config.cpp
  train/recipe_box.cpp
  train/cross_validation_view.cpp
  train/live_charts.cpp
  train/plot_style.cpp
  train/timeline_view.cpp
  train/trainer_panel.cpp
)
