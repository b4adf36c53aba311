# SPDX-License-Identifier: GPL-3.0-or-later
# The built-in synthetic faces (no LibTorch, no OpenCV).
target_sources(latentlab_imaging PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/face_painter.cpp
  ${CMAKE_CURRENT_LIST_DIR}/synthetic_faces.cpp
)
