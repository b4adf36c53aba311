# SPDX-License-Identifier: GPL-3.0-or-later
if(TARGET latentlab_ui)
  latentlab_add_test(test_trainer SOURCES test_trainer.cpp LIBS latentlab_ui LABELS "gui;slow" TIMEOUT 600)
endif()
