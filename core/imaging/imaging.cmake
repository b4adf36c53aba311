# SPDX-License-Identifier: GPL-3.0-or-later
target_sources(latentlab_imaging PRIVATE
  imaging/png_file.cpp
  imaging/npy_file.cpp
  imaging/layouts.cpp
  imaging/resize.cpp
  imaging/image_header.cpp
)
if(LATENTLAB_HAVE_OPENCV)
  target_sources(latentlab_imaging PRIVATE imaging/image_decode.cpp)
endif()
if(GIF_FOUND)
  target_sources(latentlab_imaging PRIVATE imaging/gif_file.cpp)
  target_link_libraries(latentlab_imaging PRIVATE GIF::GIF)
  target_compile_definitions(latentlab_imaging PUBLIC LATENTLAB_HAVE_GIF=1)
endif()
