// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/setup_panel.h"

#include "train/recipe_box.h"


#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMimeData>
#include <QCoreApplication>
#include <QPointer>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QStandardPaths>
#include <QThread>
#include <QTimer>
#include <QVBoxLayout>

#include "common/setting_ranges.h"
#include "imaging/layouts.h"
#include "run/tensorboard_log.h"
#include "train/device.h"
#include "train/quick_start.h"
#include "widgets/image_convert.h"
#include "widgets/pixel_view.h"
#include "widgets/validated_field.h"

namespace latentlab::trainer {
namespace {

enum Source { kSynthetic = 0, kFolder = 1, kIdx = 2 };
constexpr int kDefaultSyntheticCount = static_cast<int>(kQuickStartFaces);
constexpr int kPreviewImages = 8;
constexpr int kScanDelayMs = 300;             // typing pauses this long before a rescan

} // namespace

SetupPanel::SetupPanel(QWidget* parent) : QWidget(parent) {
    setAcceptDrops(true);
    auto* layout = new QVBoxLayout(this);

    // Data
    auto* data_box = new QGroupBox(tr("Data"), this);
    auto* data_form = new QFormLayout(data_box);
    source_ = new QComboBox(data_box);
    source_->setObjectName("dataSource");
    source_->addItems({tr("Built-in synthetic faces"), tr("Image folder or CelebA"), tr("IDX file (MNIST-style)")});
    synthetic_count_ = new QSpinBox(data_box);
    synthetic_count_->setObjectName("syntheticCount");
    synthetic_count_->setRange(64, 1000000);
    synthetic_count_->setSingleStep(1024);
    synthetic_count_->setValue(kDefaultSyntheticCount);
    source_->setToolTip(tr("What to train on: LatentLab's procedural faces (no download), a folder of images at any\n"
                           "depth (a CelebA folder is recognised by its list_attr_celeba.txt), or an IDX file."));
    synthetic_count_->setToolTip(tr("How many built-in faces to generate (64 .. 1,000,000)."));
    auto* path_row = new QHBoxLayout;
    path_ = new QLineEdit(data_box);
    path_->setObjectName("dataPath");
    path_->setPlaceholderText(tr("drop a folder or an IDX file here"));
    path_->setToolTip(tr("The image folder or the IDX file (raw or .gz); unreadable files are skipped and listed."));
    browse_ = new QPushButton(tr("Browse…"), data_box);
    path_row->addWidget(path_, 1);
    path_row->addWidget(browse_);
    scan_status_ = new QLabel(data_box);
    scan_status_->setObjectName("scanStatus");
    scan_status_->setWordWrap(true);
    skipped_ = new QListWidget(data_box);
    skipped_->setObjectName("skippedFiles");
    skipped_->setMaximumHeight(70);
    skipped_->hide();
    preview_ = new ui::PixelView(data_box);
    preview_->setObjectName("dataPreview");
    preview_->setMinimumSize(200, 40);
    preview_->setMaximumHeight(90);
    data_form->addRow(tr("Source"), source_);
    data_form->addRow(tr("Faces"), synthetic_count_);
    data_form->addRow(tr("Path"), path_row);
    data_form->addRow(scan_status_);
    data_form->addRow(skipped_);
    data_form->addRow(preview_);
    layout->addWidget(data_box);

    // Model and optimiser
    auto* model_box = new QGroupBox(tr("Model and training"), this);
    auto* form = new QFormLayout(model_box);
    image_size_ = new QComboBox(model_box);
    image_size_->setObjectName("imageSize");
    image_size_->addItems({"32", "64", "128"});
    channels_ = new QComboBox(model_box);
    channels_->setObjectName("channels");
    channels_->addItems({tr("auto"), "1", "3"});
    image_size_->setToolTip(tr("Side of the square images the model makes: 32, 64 or 128 px."));
    channels_->setToolTip(tr("auto: grey data gives a grey model, colour a colour one; or force 1 or 3."));
    form->addRow(tr("Image size"), image_size_);
    form->addRow(tr("Channels"), channels_);
    const TrainConfig defaults = quick_start_config();  // measured: see core/train/quick_start.h
    image_size_->setCurrentText(QString::number(defaults.model.image_size));
    const auto add = [&](const QString& label, ui::ValidatedField* f) {
        fields_[f->objectName()] = f;
        form->addRow(label, f);
    };
    // Ranges and tooltips come from core's table of settings (common/setting_ranges.h).
    const auto setting = [&](const char* key, double value) {
        return ui::ValidatedField::setting(setting_range(key), value, model_box);
    };
    add(tr("Epochs"), setting("epochs", defaults.epochs));
    add(tr("Batch size"), setting("batch_size", defaults.batch_size));
    add(tr("nz (latent size)"), setting("nz", static_cast<double>(defaults.model.nz)));
    add(tr("ngf (G width)"), setting("ngf", static_cast<double>(defaults.model.ngf)));
    add(tr("ndf (D width)"), setting("ndf", static_cast<double>(defaults.model.ndf)));
    add(tr("Learning rate"), setting("lr", defaults.lr));
    add(tr("Adam beta1"), setting("beta1", defaults.beta1));
    auto* seed = ui::ValidatedField::integer(1, 0, std::numeric_limits<qint64>::max(), model_box);
    seed->setObjectName("seed");
    seed->setToolTip(tr("Seeds the weights, the data order, the noise and the built-in faces (0 or more):\n"
                        "the same seed and settings give the same run."));
    add(tr("Seed"), seed);
    flip_ = new QCheckBox(tr("Random horizontal flips"), model_box);
    flip_->setObjectName("flip");
    flip_->setToolTip(tr("Mirror each training image left-right at random (for faces; not for digits or text)."));
    form->addRow(flip_);
    tensorboard_ = new QCheckBox(tr("Write TensorBoard files"), model_box);
    tensorboard_->setObjectName("tensorboard");
    tensorboard_->setChecked(defaults.tensorboard && tensorboard_available());
    tensorboard_->setEnabled(tensorboard_available());
    tensorboard_->setToolTip(tensorboard_available()
                                 ? tr("Also write the curves and sample grids to RUN/tensorboard,\n"
                                      "for `tensorboard --logdir RUN` (live, also on a server).")
                                 : tr("This build of LatentLab cannot write TensorBoard files (protobuf was not found)."));
    form->addRow(tensorboard_);
    device_ = new QComboBox(model_box);
    device_->setObjectName("device");
    device_->addItem(tr("CPU"), "cpu");
    device_->setToolTip(tr("Where training runs: the CPU, or a CUDA GPU when LibTorch finds one."));
    form->addRow(tr("Device"), device_);
    precision_ = new QComboBox(model_box);
    precision_->setObjectName("precision");
    precision_->addItem(cpu_has_bf16_units() ? tr("Automatic (bfloat16 on this CPU)") : tr("Automatic (float32 here)"),
                        "auto");
    precision_->addItem(tr("float32"), "fp32");
    precision_->addItem(tr("bfloat16 convolutions"), "bf16");
    precision_->setCurrentIndex(precision_->findData(QString::fromStdString(defaults.precision)));
    precision_->setToolTip(tr("bfloat16 runs the convolutions in 16-bit floats (weights, optimizer and losses stay\n"
                              "32-bit). On CPUs with bfloat16 units (AVX512-BF16, AMX) it trains 1.3 to 2 times as fast,\n"
                              "with a somewhat worse model at the end (docs/QUALITY.md); elsewhere it is slower.\n"
                              "Automatic uses it only where the CPU has those units."));
    form->addRow(tr("Precision"), precision_);
    auto* run_row = new QHBoxLayout;
    run_folder_ = new QLineEdit(defaultRunFolder(), model_box);
    run_folder_->setObjectName("runFolder");
    run_folder_->setToolTip(tr("Where the run writes its checkpoints, curves and grids; a folder holding a run resumes it."));
    auto* run_browse = new QPushButton(tr("Browse…"), model_box);
    run_row->addWidget(run_folder_, 1);
    run_row->addWidget(run_browse);
    form->addRow(tr("Run folder"), run_row);
    layout->addWidget(model_box);
    recipe_box_ = new RecipeBox(this);
    layout->addWidget(recipe_box_);
    layout->addStretch(1);

    // CUDA devices are looked up off the GUI thread (it initialises LibTorch's
    // CUDA runtime). The watcher is the panel's child: a panel closed before
    // the answer never hears it.
    auto* probe = new QFutureWatcher<std::vector<DeviceChoice>>(this);
    connect(probe, &QFutureWatcherBase::finished, this, [this, probe] {
        const std::vector<DeviceChoice> devices = probe->result();
        for (std::size_t i = 1; i < devices.size(); ++i)
            device_->addItem(QString::fromStdString(devices[i].description), QString::fromStdString(devices[i].spec));
        probe->deleteLater();
    });
    probe->setFuture(QtConcurrent::run([]() -> std::vector<DeviceChoice> {
        try {
            return available_devices();
        } catch (...) {
            return {};  // no CUDA runtime that answers: the CPU stays the only choice
        }
    }));

    scan_timer_ = new QTimer(this);
    scan_timer_->setSingleShot(true);
    scan_timer_->setInterval(kScanDelayMs);
    connect(scan_timer_, &QTimer::timeout, this, &SetupPanel::startScan);
    connect(&scanner_, &DataScanner::scanned, this, &SetupPanel::showScan);
    connect(&scanner_, &DataScanner::progress, this, [this](qulonglong done, qulonglong total) {
        scan_status_->setText(tr("Decoding… %L1 of %L2 images").arg(done).arg(total));
    });
    // Images from files are decoded into the user's cache folder and mapped (data/decoded_cache.h).
    scanner_.setCacheFolder(QStandardPaths::writableLocation(QStandardPaths::GenericCacheLocation) +
                            "/latentlab/decoded");
    connect(source_, &QComboBox::currentIndexChanged, this, [this] {
        updateSourceWidgets();
        scheduleScan();
    });
    connect(synthetic_count_, &QSpinBox::valueChanged, this, &SetupPanel::scheduleScan);
    connect(path_, &QLineEdit::textChanged, this, &SetupPanel::scheduleScan);
    connect(image_size_, &QComboBox::currentIndexChanged, this, &SetupPanel::scheduleScan);
    connect(channels_, &QComboBox::currentIndexChanged, this, &SetupPanel::scheduleScan);
    connect(fields_["seed"], &ui::ValidatedField::edited, this, &SetupPanel::scheduleScan);
    connect(browse_, &QPushButton::clicked, this, [this] {
        const QString p = source_->currentIndex() == kIdx
                              ? QFileDialog::getOpenFileName(this, tr("Choose an IDX file"), path_->text(),
                                                             tr("IDX files (*-idx3-ubyte *-idx3-ubyte.gz *.idx *.gz);;All files (*)"))
                              : QFileDialog::getExistingDirectory(this, tr("Choose an image folder"), path_->text());
        if (!p.isEmpty()) path_->setText(p);
    });
    connect(run_browse, &QPushButton::clicked, this, [this] {
        const QString p = QFileDialog::getExistingDirectory(this, tr("Choose the run folder"), run_folder_->text());
        if (!p.isEmpty()) run_folder_->setText(p);
    });
    updateSourceWidgets();
}

SetupPanel::~SetupPanel() = default;

QString SetupPanel::defaultRunFolder() {
    const QString base = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) + "/latentlab/runs";
    return base + "/run-" + QDateTime::currentDateTime().toString("yyyyMMdd-HHmmss");
}

ui::ValidatedField* SetupPanel::field(const QString& name) const {
    const auto it = fields_.find(name);
    return it == fields_.end() ? nullptr : it->second;
}

void SetupPanel::updateSourceWidgets() {
    const bool synthetic = source_->currentIndex() == kSynthetic;
    synthetic_count_->setEnabled(synthetic);
    path_->setEnabled(!synthetic);
    browse_->setEnabled(!synthetic);
}

QString SetupPanel::dataSpec() const {
    if (source_->currentIndex() == kSynthetic) return QStringLiteral("synthetic:%1").arg(synthetic_count_->value());
    return path_->text().trimmed();
}

DecodeOptions SetupPanel::decodeOptions() const {
    DecodeOptions o;
    o.size = image_size_->currentText().toInt();
    o.channels = channels_->currentIndex() == 0 ? 0 : channels_->currentText().toInt();
    o.workers = std::max(1, QThread::idealThreadCount());
    return o;
}

void SetupPanel::setDataSource(const QString& spec_or_path) {
    if (spec_or_path.startsWith("synthetic")) {
        source_->setCurrentIndex(kSynthetic);
        const int colon = spec_or_path.indexOf(':');
        if (colon > 0) synthetic_count_->setValue(spec_or_path.mid(colon + 1).toInt());
    } else {
        source_->setCurrentIndex(QFileInfo(spec_or_path).isDir() ? kFolder : kIdx);
        path_->setText(spec_or_path);
    }
    scheduleScan();
}

void SetupPanel::setRunFolder(const QString& dir) { run_folder_->setText(dir); }

void SetupPanel::scheduleScan() {
    scan_.reset();
    scan_status_->setText(tr("Scanning…"));
    scan_timer_->start();
}

void SetupPanel::startScan() {
    const QString spec = dataSpec();
    if (spec.isEmpty()) {
        scan_status_->setText(tr("Choose a folder or an IDX file."));
        return;
    }
    const auto seed = static_cast<std::uint64_t>(fields_.at("seed")->isValid() ? fields_.at("seed")->toInteger() : 1);
    scanner_.scan(spec, decodeOptions(), seed);
}

bool SetupPanel::scanPending() const { return scan_timer_->isActive() || scanner_.scanning(); }

void SetupPanel::showScan(const ScanResult& r) {
    skipped_->clear();
    if (!r.data) {
        scan_.reset();
        scan_status_->setText(QStringLiteral("<span style='color:#c0392b'>%1</span>").arg(r.error.toHtmlEscaped()));
        skipped_->hide();
        preview_->setImage(QImage());
        Q_EMIT dataScanned(false);
        return;
    }
    scan_ = r;
    const auto& d = *r.data;
    QString status = tr("%1: %2 images at %3×%3, %4 channel(s)")
                         .arg(r.description).arg(d.count()).arg(d.size).arg(d.channels);
    if (!d.skipped.empty()) status += tr("; %1 file(s) skipped (listed below)").arg(d.skipped.size());
    scan_status_->setText(status);
    for (const auto& s : d.skipped)
        skipped_->addItem(QString::fromStdString(s.path) + " — " + QString::fromStdString(s.reason));
    skipped_->setVisible(!d.skipped.empty());
    // The preview shows the cache itself: decoded, resized and centre-cropped as the model sees it.
    std::vector<Image> tiles;
    for (std::size_t i = 0; i < std::min<std::size_t>(kPreviewImages, d.count()); ++i) tiles.push_back(d.copy_image(i));
    preview_->setImage(ui::to_qimage(make_grid(tiles, kPreviewImages, 2)));
    Q_EMIT dataScanned(true);
}

std::shared_ptr<const DecodedImages> SetupPanel::scannedData() const {
    if (!scan_ || scanPending()) return nullptr;
    return scan_->data;
}

void SetupPanel::setLocked(bool locked) {
    for (QWidget* w : findChildren<QWidget*>())
        if (w != skipped_ && w != preview_ && w != scan_status_) w->setEnabled(!locked);
    if (!locked) updateSourceWidgets();
    if (!locked) tensorboard_->setEnabled(tensorboard_available());
}

void SetupPanel::dragEnterEvent(QDragEnterEvent* event) {
    if (event->mimeData()->hasUrls() && event->mimeData()->urls().first().isLocalFile()) event->acceptProposedAction();
}

void SetupPanel::dropEvent(QDropEvent* event) {
    const QString path = event->mimeData()->urls().first().toLocalFile();
    if (!path.endsWith(".llck") && !path.endsWith(".pth") && !path.endsWith(".pt")) setDataSource(path);
}

} // namespace latentlab::trainer
