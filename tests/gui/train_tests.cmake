# SPDX-License-Identifier: GPL-3.0-or-later
if(TARGET latentlab_ui)
  latentlab_add_test(test_trainer SOURCES test_trainer.cpp LIBS latentlab_ui LABELS "gui;slow" TIMEOUT 600)
endif()
if(TARGET latentlab_ui_train)
  latentlab_add_test(test_timeline SOURCES test_timeline.cpp LIBS latentlab_ui_train LABELS gui)
endif()
