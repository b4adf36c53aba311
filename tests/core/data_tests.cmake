# SPDX-License-Identifier: GPL-3.0-or-later
# File-based data sources: IDX, image folders, CelebA; the atomic file writer.
latentlab_add_test(test_atomic_file SOURCES test_atomic_file.cpp LIBS latentlab_imaging LABELS core)
latentlab_add_test(test_idx_file SOURCES test_idx_file.cpp LIBS latentlab_imaging ZLIB::ZLIB LABELS core)

if(LATENTLAB_HAVE_OPENCV)
  latentlab_add_test(test_image_folder SOURCES test_image_folder.cpp LIBS latentlab_imaging ${OpenCV_LIBS} LABELS core)
  target_include_directories(test_image_folder PRIVATE ${OpenCV_INCLUDE_DIRS})
  latentlab_add_test(test_celeba SOURCES test_celeba.cpp LIBS latentlab_imaging ${OpenCV_LIBS} LABELS core)
  target_include_directories(test_celeba PRIVATE ${OpenCV_INCLUDE_DIRS})
endif()
