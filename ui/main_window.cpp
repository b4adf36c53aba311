// SPDX-License-Identifier: GPL-3.0-or-later
#include "main_window.h"

#include <QApplication>
#include <QCloseEvent>
#include <QFileDialog>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QScreen>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>

#include "explore/explorer_panel.h"
#include "train/trainer_panel.h"

namespace latentlab::ui {
namespace {
constexpr auto kGeometryKey = "window/geometry";
}

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
    setWindowTitle(tr("LatentLab"));
    tabs_ = new QTabWidget(this);
    trainer_ = new TrainerPanel;
    explorer_ = new ExplorerPanel;
    tabs_->addTab(trainer_, tr("Train"));
    tabs_->addTab(explorer_, tr("Explore"));
    setCentralWidget(tabs_);

    status_ = new QLabel(tr("Ready: press Train to learn the built-in synthetic faces"));
    status_->setObjectName("statusText");
    progress_ = new QProgressBar;
    progress_->setObjectName("progressBar");
    progress_->setMaximumWidth(240);
    progress_->setTextVisible(true);
    statusBar()->addWidget(status_, 1);
    statusBar()->addPermanentWidget(progress_);

    connect(trainer_, &TrainerPanel::statusText, status_, &QLabel::setText);
    connect(trainer_, &TrainerPanel::progress, this, [this](int value, int maximum) {
        progress_->setMaximum(std::max(1, maximum));
        progress_->setValue(value);
    });
    connect(trainer_, &TrainerPanel::exploreRequested, this,
            [this](std::shared_ptr<GeneratorSnapshot> snapshot, const QString& title) {
                explorer_->setSnapshot(std::move(snapshot), title);
                tabs_->setCurrentWidget(explorer_);
            });
    connect(trainer_, &TrainerPanel::checkpointActivated, this, &MainWindow::openCheckpoint);
    connect(explorer_, &ExplorerPanel::statusMessage, status_, &QLabel::setText);
    buildMenus();
    // The size and place the user left it at; on a fresh profile, 1440 x 880
    // or as much of the screen as there is (a 1280 x 800 laptop gets all of it).
    if (!restoreGeometry(QSettings().value(QLatin1String(kGeometryKey)).toByteArray())) {
        const QRect screen = (this->screen() ? this->screen() : QGuiApplication::primaryScreen())->availableGeometry();
        resize(std::min(1440, screen.width()), std::min(880, screen.height()));
    }
}

MainWindow::~MainWindow() = default;

void MainWindow::buildMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("Open &run folder…"), QKeySequence(Qt::CTRL | Qt::Key_O), this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Open a run folder"));
        if (!dir.isEmpty()) openRunFolder(dir);
    });
    file->addAction(tr("Open &checkpoint…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O), this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Open a checkpoint"), QString(),
                                                          tr("Checkpoints (*.llck *.pth *.pt);;LatentLab checkpoints (*.llck);;PyTorch DCGAN generators (*.pth *.pt)"));
        if (!path.isEmpty()) openCheckpoint(path);
    });
    QMenu* recent = file->addMenu(tr("Recent checkpoints"));
    connect(recent, &QMenu::aboutToShow, this, [this, recent] {
        recent->clear();
        const QStringList paths = explorer_->recentCheckpoints();
        for (const QString& p : paths) recent->addAction(p, this, [this, p] { openCheckpoint(p); });
        if (paths.isEmpty()) recent->addAction(tr("(none yet)"))->setEnabled(false);
    });
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence(Qt::CTRL | Qt::Key_Q), this, &QWidget::close);

    // Each action presses a panel's own button, so menus, shortcuts and
    // buttons always agree. The explorer's actions show the explorer first.
    const auto press_in = [this](QWidget* panel, const char* name, bool show_panel) {
        return [this, panel, name, show_panel] {
            if (show_panel) tabs_->setCurrentWidget(panel);
            if (auto* b = panel->findChild<QPushButton*>(name); b && b->isEnabled()) b->click();
        };
    };
    QMenu* training = menuBar()->addMenu(tr("&Training"));
    const auto press = [&](const char* name) { return press_in(trainer_, name, false); };
    training->addAction(tr("&Train"), QKeySequence(Qt::Key_F5), this, press("trainButton"));
    training->addAction(tr("&Pause"), QKeySequence(Qt::Key_F6), this, press("pauseButton"));
    training->addAction(tr("&Resume"), QKeySequence(Qt::Key_F7), this, press("resumeButton"));
    training->addAction(tr("&Step one iteration"), QKeySequence(Qt::Key_F10), this, press("stepButton"));
    training->addAction(tr("S&top"), QKeySequence(Qt::SHIFT | Qt::Key_F5), this, press("stopButton"));
    training->addSeparator();
    training->addAction(tr("&Explore this run"), QKeySequence(Qt::CTRL | Qt::Key_E), this, press("exploreRunButton"));

    QMenu* explore = menuBar()->addMenu(tr("&Explore"));
    const auto press_in_explorer = [&](const char* name) { return press_in(explorer_, name, true); };
    explore->addAction(tr("&New batch"), QKeySequence(Qt::CTRL | Qt::Key_N), this, press_in_explorer("newBatchButton"));
    explore->addSeparator();
    explore->addAction(tr("&Save latents…"), QKeySequence(Qt::CTRL | Qt::Key_S), this, press_in_explorer("saveLatentsButton"));
    explore->addAction(tr("&Load latents…"), QKeySequence(Qt::CTRL | Qt::Key_L), this, press_in_explorer("loadLatentsButton"));
    explore->addSeparator();
    explore->addAction(tr("Export the &arithmetic sheet…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_A), this,
                       press_in_explorer("exportArithmeticButton"));
    explore->addAction(tr("Export the interpolation &strip…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S), this,
                       press_in_explorer("exportStripButton"));
    explore->addAction(tr("Export the interpolation as &PNGs…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P), this,
                       press_in_explorer("exportSequenceButton"));
    explore->addAction(tr("Export the interpolation as &GIF…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_G), this,
                       press_in_explorer("exportGifButton"));

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About LatentLab"), this, [this] {
        QMessageBox::about(this, tr("About LatentLab"),
                           tr("<b>LatentLab</b> trains DCGANs and explores their latent space.<br>"
                              "Licensed under the GNU GPL, version 3 or later."));
    });
}

void MainWindow::openRunFolder(const QString& dir) {
    const QString error = trainer_->openRun(dir);
    if (!error.isEmpty()) {
        QMessageBox::warning(this, tr("Cannot open the run"), error);
        return;
    }
    tabs_->setCurrentWidget(trainer_);
}

void MainWindow::openCheckpoint(const QString& path) {
    tabs_->setCurrentWidget(explorer_);
    explorer_->openCheckpoint(path);
}

void MainWindow::closeEvent(QCloseEvent* event) {
    QSettings().setValue(QLatin1String(kGeometryKey), saveGeometry());
    trainer_->saveLayout();
    auto* controller = trainer_->controller();
    if (!controller->busy()) {
        event->accept();
        return;
    }
    if (confirm_close_ &&
        QMessageBox::question(this, tr("Training is running"),
                              tr("Stop training and quit? The run stops after the current iteration and writes a "
                                 "checkpoint, so you can resume it later.")) != QMessageBox::Yes) {
        event->ignore();
        return;
    }
    status_->setText(tr("Stopping after this iteration and writing a checkpoint…"));
    controller->stop();
    QApplication::setOverrideCursor(Qt::WaitCursor);
    controller->wait(-1);
    QApplication::restoreOverrideCursor();
    event->accept();
}

} // namespace latentlab::ui
