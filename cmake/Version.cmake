# SPDX-License-Identifier: GPL-3.0-or-later
# latentlab_version.h: the project version and the git commit it was built
# from ("unknown" outside a git checkout), for `--version`. The commit is
# read at configure time; committing re-runs the configure step because the
# branch's ref file is a configure dependency.
set(LATENTLAB_GIT_COMMIT "unknown")
find_package(Git QUIET)
if(GIT_FOUND)
  execute_process(COMMAND "${GIT_EXECUTABLE}" rev-parse --short=12 HEAD
    WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}" OUTPUT_VARIABLE _commit RESULT_VARIABLE _rc
    OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  if(_rc EQUAL 0)
    set(LATENTLAB_GIT_COMMIT "${_commit}")
    execute_process(COMMAND "${GIT_EXECUTABLE}" rev-parse --git-path HEAD
      WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}" OUTPUT_VARIABLE _head_file OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
    execute_process(COMMAND "${GIT_EXECUTABLE}" symbolic-ref -q HEAD
      WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}" OUTPUT_VARIABLE _branch OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
    set(_watch "${_head_file}")
    if(_branch)
      execute_process(COMMAND "${GIT_EXECUTABLE}" rev-parse --git-path "${_branch}"
        WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}" OUTPUT_VARIABLE _ref_file OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
      list(APPEND _watch "${_ref_file}")
    endif()
    foreach(_file IN LISTS _watch)
      if(NOT IS_ABSOLUTE "${_file}")
        set(_file "${PROJECT_SOURCE_DIR}/${_file}")
      endif()
      if(EXISTS "${_file}")
        set_property(DIRECTORY "${PROJECT_SOURCE_DIR}" APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${_file}")
      endif()
    endforeach()
  endif()
endif()
configure_file("${CMAKE_CURRENT_LIST_DIR}/latentlab_version.h.in" "${PROJECT_BINARY_DIR}/generated/latentlab_version.h" @ONLY)
