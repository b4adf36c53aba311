# SPDX-License-Identifier: GPL-3.0-or-later
# File-based data sources: IDX files (zlib), image folders and CelebA (OpenCV).
target_sources(latentlab_imaging PRIVATE
  data/idx_file.cpp
  data/celeba_attributes.cpp
  data/celeba.cpp
  data/image_inputs.cpp
)
if(LATENTLAB_HAVE_OPENCV)
  target_sources(latentlab_imaging PRIVATE
    data/image_folder.cpp
  )
endif()
