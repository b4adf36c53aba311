// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/trainer_panel.h"

#include "train/cross_validation_view.h"
#include "train/recipe_box.h"

#include <QComboBox>
#include <QFileInfo>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QSplitter>
#include <QTabWidget>
#include <QVBoxLayout>

#include "checkpoint/checkpoint_store.h"
#include "common/error.h"
#include "common/setting_ranges.h"
#include "run/run_history.h"
#include "train/live_charts.h"
#include "train/resume_config.h"
#include "train/setup_panel.h"
#include "train/timeline_view.h"
#include "widgets/pixel_view.h"
#include "widgets/validated_field.h"

namespace latentlab::trainer {
namespace {

constexpr double kLiveSampleSeconds = 1.0;  // the live grid refreshes at least this often
constexpr auto kSplitterKey = "trainer/columns";
constexpr auto kChartsSplitterKey = "trainer/charts";

} // namespace

TrainerPanel::TrainerPanel(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(buildControls());

    health_banner_ = new QLabel(this);
    health_banner_->setObjectName("healthBanner");
    health_banner_->setWordWrap(true);
    health_banner_->setStyleSheet("background:#fff3cd; color:#664d03; padding:6px; border:1px solid #ffe69c;");
    rollback_ = new QPushButton(tr("Roll back to the last healthy checkpoint"), this);
    rollback_->setObjectName("rollbackButton");
    auto* banner_row = new QHBoxLayout;
    banner_row->addWidget(health_banner_, 1);
    banner_row->addWidget(rollback_);
    layout->addLayout(banner_row);
    health_banner_->hide();
    rollback_->hide();

    auto* splitter = new QSplitter(Qt::Horizontal, this);
    setup_ = new SetupPanel;
    auto* scroll = new QScrollArea;
    scroll->setWidget(setup_);
    scroll->setWidgetResizable(true);
    scroll->setMinimumWidth(320);
    splitter->addWidget(scroll);

    auto* views = new QTabWidget;
    samples_ = new ui::PixelView;
    samples_->setObjectName("liveSamples");
    timeline_ = new TimelineView;
    views->addTab(samples_, tr("Live samples"));
    views->addTab(timeline_, tr("Timeline"));
    checkpoints_ = new QListWidget;
    checkpoints_->setObjectName("checkpointList");
    checkpoints_->setToolTip(tr("Double-click a checkpoint to explore it"));
    views->addTab(checkpoints_, tr("Checkpoints"));
    connect(checkpoints_, &QListWidget::itemActivated, this, [this](QListWidgetItem* item) {
        Q_EMIT checkpointActivated(item->data(Qt::UserRole).toString());
    });
    splitter->addWidget(views);
    charts_ = new LiveCharts;
    charts_->setMinimumWidth(300);
    cross_validation_ = new CrossValidationView;
    cross_validation_->setObjectName("crossValidation");
    auto* charts_column = new QSplitter(Qt::Vertical);
    charts_column->addWidget(charts_);
    charts_column->addWidget(cross_validation_);
    charts_column->setStretchFactor(0, 3);
    charts_column->setStretchFactor(1, 1);
    splitter->addWidget(charts_column);
    splitter->setStretchFactor(0, 0);
    splitter->setStretchFactor(1, 1);
    splitter->setStretchFactor(2, 1);
    // Narrow windows (a 1280 x 800 laptop) keep all three columns: the setup
    // column scrolls, and the charts give way before the samples do.
    splitter->setChildrenCollapsible(false);
    charts_column->setChildrenCollapsible(false);
    splitter_ = splitter;
    charts_column_ = charts_column;
    splitter_->restoreState(QSettings().value(QLatin1String(kSplitterKey)).toByteArray());
    charts_column_->restoreState(QSettings().value(QLatin1String(kChartsSplitterKey)).toByteArray());
    layout->addWidget(splitter, 1);

    connect(&controller_, &TrainingController::stateChanged, this, &TrainerPanel::onState);
    connect(&controller_, &TrainingController::started, this, &TrainerPanel::onStarted);
    connect(&controller_, &TrainingController::metricsArrived, this, &TrainerPanel::onMetrics);
    connect(&controller_, &TrainingController::samplesArrived, this, &TrainerPanel::onSamples);
    connect(&controller_, &TrainingController::finished, this, &TrainerPanel::onFinished);
    connect(&controller_, &TrainingController::crossValidated, cross_validation_, &CrossValidationView::add);
    connect(&controller_, &TrainingController::failed, this, [this](const QString& m) { showMessage(m, true); });
    connect(&controller_, &TrainingController::checkpointWritten, this, [this](const QString& path, bool healthy) {
        addCheckpoint(path, healthy);
        Q_EMIT statusText(healthy ? tr("checkpoint %1").arg(QFileInfo(path).fileName())
                                : tr("checkpoint %1 (after a non-finite loss; the healthy one is kept)").arg(QFileInfo(path).fileName()));
    });
    connect(&controller_, &TrainingController::snapshotReady, this, [this](std::shared_ptr<GeneratorSnapshot> s) {
        Q_EMIT exploreRequested(s, tr("live run, iteration %1").arg(s->meta.value("iteration", 0)));
    });
    connect(rollback_, &QPushButton::clicked, this, &TrainerPanel::rollBack);
    connect(setup_->findChild<QLineEdit*>("runFolder"), &QLineEdit::textChanged, this, &TrainerPanel::updateTrainLabel);
    onState(TrainingController::State::Idle);
}

TrainerPanel::~TrainerPanel() = default;

QWidget* TrainerPanel::buildControls() {
    auto* bar = new QWidget(this);
    auto* row = new QHBoxLayout(bar);
    row->setContentsMargins(0, 0, 0, 0);
    const auto button = [&](const QString& name, const QString& text, const QString& tip) {
        auto* b = new QPushButton(text, bar);
        b->setObjectName(name);
        b->setToolTip(tip);
        row->addWidget(b);
        return b;
    };
    train_ = button("trainButton", tr("Train"), tr("Start training with these settings (F5)"));
    pause_ = button("pauseButton", tr("Pause"), tr("Pause between iterations (F6)"));
    resume_ = button("resumeButton", tr("Resume"), tr("Resume a paused run (F7)"));
    step_ = button("stepButton", tr("Step"), tr("Run exactly one iteration (F10)"));
    stop_ = button("stopButton", tr("Stop"), tr("Stop between iterations and write a checkpoint (Shift+F5)"));
    row->addSpacing(16);
    row->addWidget(new QLabel(tr("lr"), bar));
    live_lr_ = ui::ValidatedField::setting(setting_range("lr"), 2e-4, bar);
    live_lr_->setObjectName("liveLr");
    row->addWidget(live_lr_);
    row->addWidget(new QLabel(tr("beta1"), bar));
    live_beta1_ = ui::ValidatedField::setting(setting_range("beta1"), 0.5, bar);
    live_beta1_->setObjectName("liveBeta1");
    row->addWidget(live_beta1_);
    explore_ = button("exploreRunButton", tr("Explore this run"), tr("Open the current generator in the explorer"));
    message_ = new QLabel(bar);
    message_->setObjectName("trainMessage");
    message_->setWordWrap(true);
    row->addWidget(message_, 1);

    connect(train_, &QPushButton::clicked, this, &TrainerPanel::train);
    connect(pause_, &QPushButton::clicked, &controller_, &TrainingController::pause);
    connect(resume_, &QPushButton::clicked, &controller_, &TrainingController::resume);
    connect(step_, &QPushButton::clicked, &controller_, &TrainingController::step);
    connect(stop_, &QPushButton::clicked, &controller_, &TrainingController::stop);
    connect(explore_, &QPushButton::clicked, this, &TrainerPanel::exploreThisRun);
    connect(live_lr_->edit(), &QLineEdit::editingFinished, this, [this] {
        if (live_lr_->isValid()) controller_.setLearningRate(live_lr_->toDouble());
    });
    connect(live_beta1_->edit(), &QLineEdit::editingFinished, this, [this] {
        if (live_beta1_->isValid()) controller_.setBeta1(live_beta1_->toDouble());
    });
    return bar;
}

void TrainerPanel::saveLayout() const {
    QSettings settings;
    settings.setValue(QLatin1String(kSplitterKey), splitter_->saveState());
    settings.setValue(QLatin1String(kChartsSplitterKey), charts_column_->saveState());
}

void TrainerPanel::showMessage(const QString& text, bool error) {
    message_->setStyleSheet(error ? "color:#c0392b;" : QString());
    message_->setText(text);
}

void TrainerPanel::updateTrainLabel() {
    QString error;
    const auto c = setup_->config(&error);
    const bool resumable = c && QFileInfo::exists(QString::fromStdString(CheckpointStore::latest_in(c->run_dir)));
    train_->setText(resumable ? tr("Resume run") : tr("Train"));
}

void TrainerPanel::train() {
    if (controller_.busy()) return;
    QString error;
    const auto config = setup_->config(&error);
    if (!config) {
        showMessage(tr("Cannot train: %1").arg(error), true);
        return;
    }
    const auto data = setup_->scannedData();
    if (!data) {
        showMessage(setup_->scanPending() ? tr("Cannot train yet: the data is still being scanned.")
                                           : tr("Cannot train: the data source has no usable images (see Data)."),
                     true);
        return;
    }
    TrainConfig c = *config;
    c.live_sample_seconds = kLiveSampleSeconds;
    c.pause_on_nonfinite = true;
    const QString latest = QString::fromStdString(CheckpointStore::latest_in(c.run_dir));
    setup_->saveSettings();
    if (!QFileInfo::exists(latest)) {
        startRun(c, data, QString());
        return;
    }
    // A resume keeps the run's saved settings, as `train --resume` does; the
    // form's values that differ (and would break exact resume) are shown first.
    std::vector<ResumeConflict> conflicts;
    try {
        const TrainConfig saved = read_resume_config(latest.toStdString());
        // The scanned images must be the run's: same source, decoded at the same size.
        if (saved.data != c.data || saved.load_size() != c.load_size()) {
            showMessage(tr("Cannot resume: the run trained on %1 at %2 px, the form has %3 at %4 px. "
                            "File → Open run folder sets the form to the run's data; or choose another run folder.")
                             .arg(QString::fromStdString(saved.data)).arg(saved.model.image_size)
                             .arg(QString::fromStdString(c.data)).arg(c.model.image_size),
                         true);
            return;
        }
        c = resume_config(saved, c, &conflicts);
    } catch (const Error& e) {
        showMessage(tr("Cannot resume: %1").arg(QString::fromStdString(e.what())), true);
        return;
    }
    if (conflicts.empty()) {
        startRun(c, data, latest);
        return;
    }
    QStringList lines;
    for (const ResumeConflict& k : conflicts)
        lines << tr("• %1: %2 (the form says %3)")
                     .arg(QString::fromStdString(k.setting), QString::fromStdString(k.saved), QString::fromStdString(k.wanted));
    auto* box = new QMessageBox(QMessageBox::Question, tr("Resume with the run's settings?"),
                                tr("%1 continues with the settings it was trained with, so that it resumes exactly. "
                                   "These differ from the form and stay as saved:\n\n%2\n\n"
                                   "To train with the form's settings, choose another run folder.")
                                    .arg(QString::fromStdString(c.run_dir), lines.join('\n')),
                                QMessageBox::Cancel, this);
    box->setObjectName("resumeConflicts");
    box->addButton(tr("Resume with the saved settings"), QMessageBox::AcceptRole);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::accepted, this, [this, c, data, latest] {
        if (!controller_.busy()) startRun(c, data, latest);
    });
    box->open();
}

void TrainerPanel::startRun(const TrainConfig& c, std::shared_ptr<const DecodedImages> data, const QString& resume_from) {
    const bool resume = !resume_from.isEmpty();
    health_.reset();
    health_banner_->hide();
    rollback_->hide();
    if (!resume) {
        charts_->clear();
        cross_validation_->clear();
        timeline_->clear();
        checkpoints_->clear();
    }
    running_config_ = c;
    running_data_ = data;
    showMessage(resume ? tr("Resuming %1…").arg(QString::fromStdString(c.run_dir)) : tr("Starting…"), false);
    controller_.start(c, std::move(data), resume_from);
}

void TrainerPanel::addCheckpoint(const QString& path, bool healthy) {
    // Rotation deletes old files: keep the list to what is on disk.
    for (int i = checkpoints_->count() - 1; i >= 0; --i)
        if (!QFileInfo::exists(checkpoints_->item(i)->data(Qt::UserRole).toString())) delete checkpoints_->takeItem(i);
    auto* item = new QListWidgetItem(QFileInfo(path).fileName() + (healthy ? QString() : tr("  (after a non-finite loss)")));
    item->setData(Qt::UserRole, path);
    if (!healthy) item->setForeground(QColor(192, 57, 43));
    checkpoints_->addItem(item);
}

void TrainerPanel::rollBack() {
    if (!running_config_ || !running_data_) return;
    const QString latest = QString::fromStdString(CheckpointStore::latest_in(running_config_->run_dir));
    if (!QFileInfo::exists(latest)) {
        showMessage(tr("There is no healthy checkpoint to roll back to yet."), true);
        return;
    }
    controller_.stop();
    controller_.wait(-1);
    health_.reset();
    health_banner_->hide();
    rollback_->hide();
    showMessage(tr("Rolled back to %1").arg(latest), false);
    controller_.start(*running_config_, running_data_, latest);
}

void TrainerPanel::exploreThisRun() {
    if (controller_.busy()) controller_.requestSnapshot();
}

void TrainerPanel::onState(TrainingController::State s) {
    using S = TrainingController::State;
    const bool idle = s == S::Idle;
    train_->setEnabled(idle);
    pause_->setEnabled(s == S::Running);
    resume_->setEnabled(s == S::Paused);
    step_->setEnabled(s == S::Running || s == S::Paused);
    stop_->setEnabled(s == S::Running || s == S::Paused || s == S::Starting);
    explore_->setEnabled(s == S::Running || s == S::Paused);
    live_lr_->setEnabled(!idle);
    live_beta1_->setEnabled(!idle);
    setup_->setLocked(!idle);
    if (idle) updateTrainLabel();
    if (s == S::Paused) Q_EMIT statusText(tr("paused at iteration %1").arg(last_iteration_));
    if (s == S::Stopping) Q_EMIT statusText(tr("stopping after this iteration…"));
}

void TrainerPanel::onStarted(const TrainingStart& start) {
    total_iterations_ = start.total_iterations();
    epochs_ = start.config.epochs;
    last_iteration_ = start.start_iteration;
    live_lr_->setText(QString::number(start.config.lr));
    live_beta1_->setText(QString::number(start.config.beta1));
    showMessage(tr("%1 on %2: %3 images, %4 iterations per epoch")
                     .arg(start.resumed ? tr("Resumed") : tr("Training"), QString::fromStdString(start.device))
                     .arg(start.images).arg(start.batches_per_epoch), false);
    Q_EMIT progress(static_cast<int>(last_iteration_), static_cast<int>(total_iterations_));
}

void TrainerPanel::onMetrics(const std::vector<IterationMetrics>& metrics) {
    charts_->addMetrics(metrics);
    for (const auto& m : metrics)
        if (auto w = health_.add(m)) showHealth(*w);
    const IterationMetrics& m = metrics.back();
    last_iteration_ = m.iteration;
    const double rate = m.avg_images_per_second > 0 ? m.avg_images_per_second : m.images_per_second;
    const double eta = running_config_ ? eta_seconds(m, running_config_->batch_size, total_iterations_) : 0.0;
    Q_EMIT statusText(tr("epoch %1/%2 · iteration %3/%4 · Loss_D %5 · Loss_G %6 · %7 img/s · ETA %8")
                        .arg(m.epoch + 1).arg(epochs_).arg(m.iteration).arg(total_iterations_)
                        .arg(m.loss_d, 0, 'f', 3).arg(m.loss_g, 0, 'f', 3).arg(rate, 0, 'f', 1)
                        .arg(QString::fromStdString(format_duration(eta))));
    Q_EMIT progress(static_cast<int>(m.iteration), static_cast<int>(total_iterations_));
}

void TrainerPanel::onSamples(const SampleFrame& frame) {
    samples_->setImage(frame.image, tr("epoch %1 · iteration %2%3")
                                        .arg(frame.epoch + 1).arg(frame.iteration)
                                        .arg(frame.epoch_end ? tr(" · end of epoch") : QString()));
    if (frame.epoch_end) timeline_->addFrame(frame.image, static_cast<int>(frame.epoch + 1));
    if (auto w = health_.add_samples(frame.diversity, frame.iteration)) showHealth(*w);
}

void TrainerPanel::showHealth(const HealthWarning& w) {
    health_banner_->setText(QStringLiteral("<b>%1</b> %2").arg(QString::fromStdString(w.message).toHtmlEscaped(),
                                                               QString::fromStdString(w.advice).toHtmlEscaped()));
    health_banner_->show();
    rollback_->setVisible(w.kind != HealthWarning::Kind::DiscriminatorWins);
}

void TrainerPanel::onFinished(const TrainingEnd& end) {
    const QString where = end.last_checkpoint.empty() ? QString()
                                                      : tr("; checkpoint %1").arg(QString::fromStdString(end.last_checkpoint));
    switch (end.reason) {
    case EndReason::Finished: showMessage(tr("Finished at iteration %1%2").arg(end.iteration).arg(where), false); break;
    case EndReason::Stopped: showMessage(tr("Stopped at iteration %1%2").arg(end.iteration).arg(where), false); break;
    case EndReason::NonFinite:
    case EndReason::Failed: showMessage(QString::fromStdString(end.message), true); break;
    }
    Q_EMIT statusText(tr("%1 at iteration %2").arg(QString::fromStdString(to_string(end.reason))).arg(end.iteration));
}

QString TrainerPanel::openRun(const QString& dir) {
    if (controller_.busy()) return tr("Stop the current run before opening another.");
    RunHistory h;
    try {
        h = read_run_history(dir.toStdString());
    } catch (const Error& e) {
        return QString::fromStdString(e.what());
    }
    TrainConfig c;
    try {
        c = train_config_from_json(h.config);
    } catch (const Error& e) {
        return QString::fromStdString(e.what());
    }
    c.run_dir = dir.toStdString();  // where it is now, if the folder was moved
    setup_->setConfig(c);
    charts_->clear();
    charts_->addMetrics(h.metrics);
    cross_validation_->clear();
    for (const auto& cv : h.cross_validations) cross_validation_->add(cv);
    QStringList samples;
    for (const auto& s : h.epoch_samples) samples << QString::fromStdString(s);
    timeline_->loadFrames(samples);
    checkpoints_->clear();
    for (const auto& c : h.checkpoints) addCheckpoint(QString::fromStdString(c), true);
    if (timeline_->frameCount() > 0) samples_->setImage(timeline_->currentImage(), tr("last epoch of %1").arg(dir));
    last_iteration_ = h.metrics.empty() ? 0 : h.metrics.back().iteration;
    updateTrainLabel();
    showMessage(tr("Opened %1: %2 logged iterations, %3 epoch grids, %4")
                     .arg(dir).arg(h.metrics.size()).arg(timeline_->frameCount())
                     .arg(h.latest_checkpoint.empty() ? tr("no checkpoint") : tr("Resume run continues it")), false);
    return {};
}

} // namespace latentlab::trainer
