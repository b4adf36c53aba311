# SPDX-License-Identifier: GPL-3.0-or-later
# Desktop integration: the menu entry, the AppStream metainfo, the MIME type of
# .llck checkpoints and the application icon, installed under the freedesktop
# paths. include()d from the top-level CMakeLists.txt. Caches (desktop
# database, MIME database, icon cache) are refreshed by the distribution's
# package triggers, not here. The PNGs are committed; icons/render-pngs
# re-renders them from the SVGs.
include(GNUInstallDirs)

install(FILES "${CMAKE_CURRENT_LIST_DIR}/latentlab.desktop"
  DESTINATION "${CMAKE_INSTALL_DATADIR}/applications")
install(FILES "${CMAKE_CURRENT_LIST_DIR}/io.github.latentlab.LatentLab.metainfo.xml"
  DESTINATION "${CMAKE_INSTALL_DATADIR}/metainfo")
install(FILES "${CMAKE_CURRENT_LIST_DIR}/latentlab-mime.xml"
  DESTINATION "${CMAKE_INSTALL_DATADIR}/mime/packages")
install(FILES "${CMAKE_CURRENT_LIST_DIR}/icons/latentlab.svg"
  DESTINATION "${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps")
foreach(latentlab_icon_size IN ITEMS 16 32 48 64 128 256)
  set(latentlab_icon_dir "${latentlab_icon_size}x${latentlab_icon_size}")
  install(FILES "${CMAKE_CURRENT_LIST_DIR}/icons/hicolor/${latentlab_icon_dir}/apps/latentlab.png"
    DESTINATION "${CMAKE_INSTALL_DATADIR}/icons/hicolor/${latentlab_icon_dir}/apps")
endforeach()
unset(latentlab_icon_size)
unset(latentlab_icon_dir)
