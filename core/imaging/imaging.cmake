# SPDX-License-Identifier: GPL-3.0-or-later
target_sources(latentlab_imaging PRIVATE
  imaging/png_file.cpp
  imaging/layouts.cpp
  imaging/resize.cpp
)
