# SPDX-License-Identifier: GPL-3.0-or-later
# Finds LibTorch. An official LibTorch archive is found through
# -DCMAKE_PREFIX_PATH=/path/to/libtorch; otherwise the Python interpreter named
# by LATENTLAB_PYTHON (or python3 on PATH) is asked for
# torch.utils.cmake_prefix_path, which is how the pinned wheel is used.
# LATENTLAB_PYTHON_EXE names that interpreter (also for the Python tests).
set(LATENTLAB_PYTHON "" CACHE FILEPATH "Python interpreter whose torch package provides LibTorch")
if(LATENTLAB_PYTHON)
  set(LATENTLAB_PYTHON_EXE "${LATENTLAB_PYTHON}")
else()
  find_program(LATENTLAB_PYTHON_FOUND NAMES python3 python)
  set(LATENTLAB_PYTHON_EXE "${LATENTLAB_PYTHON_FOUND}")
endif()
find_package(Torch QUIET)
if(NOT Torch_FOUND)
  if(LATENTLAB_PYTHON_EXE)
    execute_process(
      COMMAND "${LATENTLAB_PYTHON_EXE}" -c "import torch.utils; print(torch.utils.cmake_prefix_path, end='')"
      OUTPUT_VARIABLE _torch_prefix RESULT_VARIABLE _torch_rc ERROR_QUIET)
    if(_torch_rc EQUAL 0 AND _torch_prefix)
      list(APPEND CMAKE_PREFIX_PATH "${_torch_prefix}")
    endif()
  endif()
  find_package(Torch REQUIRED)
endif()
message(STATUS "LatentLab: LibTorch ${Torch_VERSION} from ${Torch_DIR}")
# The one pinned version lives in scripts/env.sh; another LibTorch may build
# but is not what the project tests.
file(STRINGS "${PROJECT_SOURCE_DIR}/scripts/env.sh" _pin REGEX "^LATENTLAB_TORCH_VERSION=")
string(REGEX REPLACE "^LATENTLAB_TORCH_VERSION=\"?([0-9.]+)\"?.*" "\\1" LATENTLAB_PINNED_TORCH "${_pin}")
if(LATENTLAB_PINNED_TORCH AND NOT Torch_VERSION VERSION_EQUAL LATENTLAB_PINNED_TORCH)
  message(WARNING "LatentLab: found LibTorch ${Torch_VERSION} (${Torch_DIR}), but the project is tested with "
    "${LATENTLAB_PINNED_TORCH} (scripts/env.sh); scripts/setup installs that one")
endif()
