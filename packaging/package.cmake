# SPDX-License-Identifier: GPL-3.0-or-later
# The Debian packages, built by CPack (scripts/package runs it):
#   latentlab       the window, latentlab-cli and its man page, the desktop
#                   entry and icons, and LibTorch's CPU libraries in a private
#                   folder (/usr/lib/latentlab) that the programs' RUNPATH names;
#   latentlab-cuda  LibTorch's CUDA libraries and NVIDIA's runtime libraries
#                   from the pinned wheel, in the same folder. Optional: the
#                   programs do not link them but load them at start-up when
#                   they are installed (core/common/cuda_backend.h).
# docs/PACKAGING.md says why the CUDA libraries are a package of their own.
# include()d from the top-level CMakeLists.txt after the programs' targets.
include(GNUInstallDirs)
set(LATENTLAB_PRIVATE_LIBDIR "lib/latentlab")
set(_torch_lib "${TORCH_INSTALL_PREFIX}/lib")
get_filename_component(_nvidia "${TORCH_INSTALL_PREFIX}/../nvidia" ABSOLUTE)  # the wheel's NVIDIA packages

# The files of ARGN that exist: an official LibTorch archive names some
# libraries differently from the wheel, and only what exists is installed.
function(latentlab_existing_files out)
  set(found)
  foreach(file IN LISTS ARGN)
    if(EXISTS "${file}")
      list(APPEND found "${file}")
    endif()
  endforeach()
  set(${out} "${found}" PARENT_SCOPE)
endfunction()

set(_programs latentlab-cli)
if(TARGET latentlab)
  list(APPEND _programs latentlab)
endif()
set_target_properties(${_programs} PROPERTIES INSTALL_RPATH "$ORIGIN/../${LATENTLAB_PRIVATE_LIBDIR}")

# LibTorch's CPU half. The wheel's libtorch_cpu.so also needs the CUDA runtime
# and CUPTI to load (a few MB; they work without a GPU or driver).
latentlab_existing_files(_runtime_libs "${_torch_lib}/libtorch_cpu.so" "${_torch_lib}/libc10.so" "${_torch_lib}/libgomp.so.1")
file(GLOB _runtime_nvidia "${_nvidia}/*/lib/libcudart.so.*" "${_nvidia}/*/lib/libcupti.so.*")
install(FILES ${_runtime_libs} ${_runtime_nvidia} DESTINATION "${LATENTLAB_PRIVATE_LIBDIR}" COMPONENT runtime)

# LibTorch's CUDA half and everything NVIDIA's wheels put beside it.
latentlab_existing_files(_cuda_libs "${_torch_lib}/libtorch_cuda.so" "${_torch_lib}/libtorch_cuda_linalg.so"
  "${_torch_lib}/libc10_cuda.so" "${_torch_lib}/libtorch_nvshmem.so" "${_torch_lib}/libcaffe2_nvrtc.so")
file(GLOB _cuda_nvidia "${_nvidia}/*/lib/*.so*")
if(_runtime_nvidia)
  list(REMOVE_ITEM _cuda_nvidia ${_runtime_nvidia})
endif()
install(FILES ${_cuda_libs} ${_cuda_nvidia} DESTINATION "${LATENTLAB_PRIVATE_LIBDIR}" COMPONENT cuda)
if(TARGET latentlab_cuda_graphs)  # core/cuda_graphs: loaded by the programs when they train with CUDA graphs
  install(TARGETS latentlab_cuda_graphs LIBRARY DESTINATION "${LATENTLAB_PRIVATE_LIBDIR}" COMPONENT cuda)
endif()

# Licences: LatentLab's as the package's copyright file, LibTorch's and each
# NVIDIA library's from the wheels' metadata beside the libraries they cover.
get_filename_component(_site "${TORCH_INSTALL_PREFIX}/.." ABSOLUTE)
install(FILES "${PROJECT_SOURCE_DIR}/LICENSE" DESTINATION "${CMAKE_INSTALL_DATADIR}/doc/latentlab" RENAME copyright
  COMPONENT runtime)
file(GLOB _torch_licences "${_site}/torch-*.dist-info/licenses/*")
install(FILES ${_torch_licences} DESTINATION "${CMAKE_INSTALL_DATADIR}/doc/latentlab/libtorch" COMPONENT runtime)
install(FILES ${_torch_licences} DESTINATION "${CMAKE_INSTALL_DATADIR}/doc/latentlab-cuda/libtorch" COMPONENT cuda)
file(GLOB _nvidia_licences "${_site}/nvidia_*.dist-info/licenses/License.txt")
foreach(_licence IN LISTS _nvidia_licences)
  get_filename_component(_dist "${_licence}/../.." ABSOLUTE)
  get_filename_component(_dist "${_dist}" NAME)
  string(REGEX REPLACE "\\.dist-info$" "" _dist "${_dist}")
  set(_component cuda)
  set(_package latentlab-cuda)
  if(_dist MATCHES "^nvidia_cuda_(runtime|cupti)-")  # the two the CPU package carries
    set(_component runtime)
    set(_package latentlab)
  endif()
  install(FILES "${_licence}" DESTINATION "${CMAKE_INSTALL_DATADIR}/doc/${_package}/nvidia" RENAME "${_dist}.txt"
    COMPONENT ${_component})
endforeach()
install(FILES "${CMAKE_CURRENT_LIST_DIR}/cuda-copyright" DESTINATION "${CMAKE_INSTALL_DATADIR}/doc/latentlab-cuda"
  RENAME copyright COMPONENT cuda)

# The installed programs must start without the CUDA half, which they never
# call directly: drop it from their needed libraries. Every private library
# finds its neighbours in its own folder: each component sets RUNPATH $ORIGIN
# on the libraries it installed.
find_program(LATENTLAB_PATCHELF patchelf)
if(NOT LATENTLAB_PATCHELF)
  message(STATUS "LatentLab: patchelf not found; installing and packaging are unavailable (scripts/setup installs it)")
endif()
set(_require_patchelf "
  if(NOT EXISTS \"${LATENTLAB_PATCHELF}\")
    message(FATAL_ERROR \"patchelf is needed to install LatentLab (Debian package patchelf)\")
  endif()")
install(CODE "${_require_patchelf}
  foreach(_program ${_programs})
    set(_file \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/bin/\${_program}\")
    if(EXISTS \"\${_file}\")
      execute_process(COMMAND \"${LATENTLAB_PATCHELF}\" --remove-needed libtorch_cuda.so --remove-needed libtorch.so
        \"\${_file}\" COMMAND_ERROR_IS_FATAL ANY)
    endif()
  endforeach()" COMPONENT runtime)
function(latentlab_rpath_origin component)
  set(names)
  foreach(file IN LISTS ARGN)
    get_filename_component(name "${file}" NAME)
    list(APPEND names "${name}")
  endforeach()
  install(CODE "${_require_patchelf}
  foreach(_lib ${names})
    execute_process(COMMAND \"${LATENTLAB_PATCHELF}\" --set-rpath \"\\\$ORIGIN\"
      \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${LATENTLAB_PRIVATE_LIBDIR}/\${_lib}\" COMMAND_ERROR_IS_FATAL ANY)
  endforeach()" COMPONENT ${component})
endfunction()
latentlab_rpath_origin(runtime ${_runtime_libs} ${_runtime_nvidia})
latentlab_rpath_origin(cuda ${_cuda_libs} ${_cuda_nvidia})

# latentlab-cli(1), generated from the program's own --help.
find_program(LATENTLAB_HELP2MAN help2man)
if(LATENTLAB_HELP2MAN)
  set(_man "${PROJECT_BINARY_DIR}/packaging/latentlab-cli.1")
  add_custom_command(OUTPUT "${_man}.gz"
    COMMAND "${CMAKE_COMMAND}" -DCLI=$<TARGET_FILE:latentlab-cli> -DHELP2MAN=${LATENTLAB_HELP2MAN} -DOUT=${_man}
      -P "${CMAKE_CURRENT_LIST_DIR}/man_page.cmake"
    DEPENDS latentlab-cli "${CMAKE_CURRENT_LIST_DIR}/man_page.cmake"
    COMMENT "Generating the latentlab-cli man page")
  add_custom_target(latentlab_man_page ALL DEPENDS "${_man}.gz")
  install(FILES "${_man}.gz" DESTINATION "${CMAKE_INSTALL_MANDIR}/man1" COMPONENT runtime)
else()
  message(STATUS "LatentLab: help2man not found; no man page (scripts/setup installs it)")
endif()

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME latentlab)
set(CPACK_PACKAGE_VENDOR "LatentLab")
set(CPACK_PACKAGE_CONTACT "LatentLab developers <latentlab@users.noreply.github.com>")
set(CPACK_PACKAGE_HOMEPAGE_URL "https://github.com/latentlab/latentlab")
set(CPACK_RESOURCE_FILE_LICENSE "${PROJECT_SOURCE_DIR}/LICENSE")
set(CPACK_OUTPUT_FILE_PREFIX "${PROJECT_BINARY_DIR}/packages")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL runtime cuda)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_COMPRESSION_TYPE zstd)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_ENABLE_COMPONENT_DEPENDS ON)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME latentlab)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_RUNTIME_DESCRIPTION "Train GANs and explore their latent space
 LatentLab trains DCGAN-style generative adversarial networks on image
 folders, CelebA, MNIST-style IDX files or built-in synthetic faces, shows
 samples and loss curves while it trains, and lets you explore what the
 generator learned: latent arithmetic, interpolation and export. It runs on
 the CPU; install latentlab-cuda to train on NVIDIA GPUs.")
set(CPACK_DEBIAN_CUDA_PACKAGE_NAME latentlab-cuda)
set(CPACK_DEBIAN_CUDA_PACKAGE_SUGGESTS "nvidia-driver")
set(CPACK_DEBIAN_CUDA_DESCRIPTION "CUDA support for LatentLab
 LibTorch's CUDA libraries with NVIDIA's CUDA runtime, cuBLAS, cuDNN, NCCL
 and the other libraries they need, for training and sampling on NVIDIA
 GPUs. Needs NVIDIA's driver (libcuda.so.1) at run time.")
set(CPACK_COMPONENT_RUNTIME_DISPLAY_NAME "LatentLab")
set(CPACK_COMPONENT_CUDA_DISPLAY_NAME "LatentLab CUDA support")
set(CPACK_COMPONENT_CUDA_DEPENDS runtime)  # with CPACK_DEBIAN_ENABLE_COMPONENT_DEPENDS: Depends: latentlab (= version)
include(CPack)
