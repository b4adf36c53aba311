# SPDX-License-Identifier: GPL-3.0-or-later
latentlab_add_test(test_synthetic_faces SOURCES test_synthetic_faces.cpp LIBS latentlab_imaging LABELS core)
