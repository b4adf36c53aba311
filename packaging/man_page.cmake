# SPDX-License-Identifier: GPL-3.0-or-later
# Writes latentlab-cli(1) with help2man from the program's --help and
# --version, and adds one subsection per command with that command's --help.
#   cmake -DCLI=path/to/latentlab-cli -DHELP2MAN=help2man -DOUT=latentlab-cli.1 -P man_page.cmake
# writes OUT.gz.
foreach(_var CLI HELP2MAN OUT)
  if(NOT ${_var})
    message(FATAL_ERROR "man_page.cmake: -D${_var}= is required")
  endif()
endforeach()

execute_process(COMMAND "${CLI}" --help OUTPUT_VARIABLE _help RESULT_VARIABLE _rc)
if(NOT _rc EQUAL 0)
  message(FATAL_ERROR "man_page.cmake: ${CLI} --help failed (${_rc})")
endif()
# The commands are the indented words under "Subcommands:" in the main help.
string(REGEX REPLACE ".*[Ss][Uu][Bb][Cc][Oo][Mm][Mm][Aa][Nn][Dd][Ss]:\n" "" _listing "${_help}")
string(REGEX MATCHALL "(^|\n)  [a-z]+ " _lines "${_listing}")
set(_include "[COMMANDS]\nEach command has its own options; `latentlab-cli COMMAND --help` prints them.\n")
foreach(_line IN LISTS _lines)
  string(STRIP "${_line}" _command)
  execute_process(COMMAND "${CLI}" "${_command}" --help OUTPUT_VARIABLE _text RESULT_VARIABLE _rc)
  if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "man_page.cmake: ${CLI} ${_command} --help failed (${_rc})")
  endif()
  string(REPLACE "${CLI}" "latentlab-cli" _text "${_text}")
  # roff: backslashes escaped, no line may start with a control character.
  string(REPLACE "\\" "\\e" _text "${_text}")
  string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" _text "${_text}")
  string(APPEND _include ".SS ${_command}\n.nf\n${_text}.fi\n")
endforeach()
get_filename_component(_dir "${OUT}" DIRECTORY)
file(MAKE_DIRECTORY "${_dir}")
file(WRITE "${OUT}.include" "${_include}")
execute_process(COMMAND "${HELP2MAN}" --no-info --section 1 --name "train DCGANs and explore their latent space, headless"
    --include "${OUT}.include" --output "${OUT}" "${CLI}"
  RESULT_VARIABLE _rc)
if(NOT _rc EQUAL 0)
  message(FATAL_ERROR "man_page.cmake: help2man failed (${_rc})")
endif()
# Installed gzipped, as Debian wants man pages (-n: no time stamp, so the file is reproducible).
execute_process(COMMAND gzip -9nf "${OUT}" RESULT_VARIABLE _rc)
if(NOT _rc EQUAL 0)
  message(FATAL_ERROR "man_page.cmake: gzip ${OUT} failed (${_rc})")
endif()
