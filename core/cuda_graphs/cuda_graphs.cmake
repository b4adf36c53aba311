# SPDX-License-Identifier: GPL-3.0-or-later
# liblatentlab_cuda_graphs.so (train/step_graph.h): the one piece of LatentLab
# that links LibTorch's CUDA half (at::cuda::CUDAGraph), loaded at run time.
# Built when LibTorch has CUDA; it goes to the build tree's lib/ folder, which
# every program's build RUNPATH names, and to the CUDA package beside
# libtorch_cuda.so.
if(TARGET torch_cuda)
  add_library(latentlab_cuda_graphs MODULE cuda_graphs/cuda_step_graph.cpp)
  target_include_directories(latentlab_cuda_graphs PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
  target_link_libraries(latentlab_cuda_graphs PRIVATE torch torch_cuda)
  target_compile_options(latentlab_cuda_graphs PRIVATE ${TORCH_CXX_FLAGS})
  set_target_properties(latentlab_cuda_graphs PROPERTIES
    LIBRARY_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/lib
    INSTALL_RPATH "$ORIGIN")
  set(LATENTLAB_HAVE_CUDA_GRAPHS ON PARENT_SCOPE)
endif()
