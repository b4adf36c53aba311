// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QMainWindow>

class QLabel;
class QProgressBar;
class QTabWidget;

namespace latentlab::explore {
class ExplorerPanel;
}
namespace latentlab::trainer {
class TrainerPanel;
}

// The window's areas each have a namespace: trainer (ui/train), explore
// (ui/explore); the shared widgets and the window itself are in ui.
namespace latentlab::ui {

using explore::ExplorerPanel;
using trainer::TrainerPanel;

// LatentLab's window: the trainer and the explorer in two tabs, menus with
// the training controls and their shortcuts, and a status bar with progress.
// It only connects the panels; each panel owns its own logic.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    TrainerPanel* trainer() const { return trainer_; }
    ExplorerPanel* explorer() const { return explorer_; }
    QTabWidget* tabs() const { return tabs_; }
    // Asks before closing while a run trains (on by default; tests turn it off).
    void setConfirmClose(bool confirm) { confirm_close_ = confirm; }

public Q_SLOTS:
    void openRunFolder(const QString& dir);
    void openCheckpoint(const QString& path);

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void buildMenus();

    QTabWidget* tabs_;
    TrainerPanel* trainer_;
    ExplorerPanel* explorer_;
    QLabel* status_;
    QProgressBar* progress_;
    bool confirm_close_ = true;
};

} // namespace latentlab::ui
