# SPDX-License-Identifier: GPL-3.0-or-later
# The latent explorer (ui/explore) under -platform offscreen.
if(TARGET latentlab_ui_explore)
  latentlab_add_test(test_explorer SOURCES test_explorer.cpp LIBS latentlab_ui_explore LABELS gui)
  target_compile_definitions(test_explorer PRIVATE LATENTLAB_CLI_PATH="$<TARGET_FILE:latentlab-cli>")
  add_dependencies(test_explorer latentlab-cli)
  if(GIF_FOUND)
    target_link_libraries(test_explorer PRIVATE GIF::GIF)
  endif()

  latentlab_add_test(test_explorer_faces SOURCES test_explorer_faces.cpp LIBS latentlab_ui_explore LABELS "gui;slow" TIMEOUT 900)

  # Not a test: draws docs/screenshots/explorer-*.png (scripts/screenshot-explorer).
  add_executable(explorer_screenshot explorer_screenshot.cpp)
  target_link_libraries(explorer_screenshot PRIVATE latentlab_ui_explore Qt6::Test)
endif()
