# SPDX-License-Identifier: GPL-3.0-or-later
# Third-party packages, all from Debian (or the torch wheel). Only LibTorch and
# zlib are required; the GUI, the tests and image-folder decoding switch off
# cleanly when Qt or OpenCV are missing (as on a GPU box).
find_package(ZLIB REQUIRED)
find_package(Threads REQUIRED)

# Header-only libraries: their CMake packages where installed, else a plain
# header search (LATENTLAB_EXTRA_INCLUDE can point at copies of the headers).
set(LATENTLAB_EXTRA_INCLUDE "" CACHE PATH "Folder holding nlohmann/json.hpp and CLI/CLI.hpp where they are not installed")
find_package(nlohmann_json 3 QUIET)
if(NOT TARGET nlohmann_json::nlohmann_json)
  find_path(LATENTLAB_JSON_INCLUDE nlohmann/json.hpp HINTS ${LATENTLAB_EXTRA_INCLUDE} REQUIRED)
  add_library(nlohmann_json::nlohmann_json INTERFACE IMPORTED)
  target_include_directories(nlohmann_json::nlohmann_json INTERFACE ${LATENTLAB_JSON_INCLUDE})
endif()
find_package(CLI11 QUIET)
if(NOT TARGET CLI11::CLI11)
  find_path(LATENTLAB_CLI11_INCLUDE CLI/CLI.hpp HINTS ${LATENTLAB_EXTRA_INCLUDE} REQUIRED)
  add_library(CLI11::CLI11 INTERFACE IMPORTED)
  target_include_directories(CLI11::CLI11 INTERFACE ${LATENTLAB_CLI11_INCLUDE})
endif()

set(LATENTLAB_HAVE_OPENCV OFF)
if(LATENTLAB_WITH_OPENCV)
  find_package(OpenCV QUIET COMPONENTS core imgproc imgcodecs)
  if(OpenCV_FOUND)
    set(LATENTLAB_HAVE_OPENCV ON)
  endif()
endif()
message(STATUS "LatentLab: OpenCV image decoding ${LATENTLAB_HAVE_OPENCV}")

# The test suite needs Qt Core, Gui and Test only, so a build without the
# window (the headless preset) still runs the core tests where Qt is installed;
# the window needs the widget modules too.
set(LATENTLAB_HAVE_QT OFF)
set(LATENTLAB_HAVE_QT_TEST OFF)
if(LATENTLAB_BUILD_TESTS)
  find_package(Qt6 QUIET COMPONENTS Core Gui Test)
  if(Qt6Core_FOUND AND Qt6Gui_FOUND AND Qt6Test_FOUND)
    set(LATENTLAB_HAVE_QT_TEST ON)
  endif()
endif()
if(LATENTLAB_BUILD_GUI)
  find_package(Qt6 QUIET COMPONENTS Core Gui Widgets PrintSupport Concurrent)
  if(Qt6Core_FOUND AND Qt6Gui_FOUND AND Qt6Widgets_FOUND AND Qt6PrintSupport_FOUND AND Qt6Concurrent_FOUND)
    set(LATENTLAB_HAVE_QT ON)
  endif()
endif()
if(Qt6Core_FOUND)
  qt_standard_project_setup()
endif()
message(STATUS "LatentLab: Qt 6 ${LATENTLAB_HAVE_QT}, Qt 6 Test ${LATENTLAB_HAVE_QT_TEST}")

find_package(GIF QUIET)
find_package(benchmark QUIET)

# TensorBoard event files need protobuf (the lite runtime) and protoc.
find_package(Protobuf QUIET)
set(LATENTLAB_HAVE_TENSORBOARD OFF)
if(Protobuf_FOUND AND Protobuf_PROTOC_EXECUTABLE AND TARGET protobuf::libprotobuf-lite)
  set(LATENTLAB_HAVE_TENSORBOARD ON)
endif()
message(STATUS "LatentLab: TensorBoard event files ${LATENTLAB_HAVE_TENSORBOARD}")
