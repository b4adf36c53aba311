// SPDX-License-Identifier: GPL-3.0-or-later
// latentlab: the desktop window. Train a DCGAN and explore what it learned.
#include <QApplication>
#include <QComboBox>
#include <QCommandLineParser>
#include <QFileInfo>
#include <QIcon>

#include "automation.h"
#include "common/process_setup.h"
#include "common/version.h"
#include "main_window.h"
#include "train/recipe_box.h"
#include "train/setup_panel.h"
#include "train/trainer_panel.h"
#include "widgets/validated_field.h"

int main(int argc, char** argv) {
    latentlab::setup_process();
    QApplication app(argc, argv);
    QApplication::setOrganizationName("LatentLab");
    QApplication::setApplicationName("latentlab");
    QApplication::setApplicationVersion(QString::fromStdString(latentlab::version_details()));
    QGuiApplication::setDesktopFileName("latentlab");  // resources/latentlab.desktop
    QIcon icon;
    for (const int size : {16, 32, 48, 64, 128, 256}) icon.addFile(QString(":/icons/latentlab-%1.png").arg(size));
    QApplication::setWindowIcon(icon);

    QCommandLineParser parser;
    parser.setApplicationDescription("LatentLab: train DCGANs and explore their latent space");
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption run_opt("run", "Open a run folder.", "DIR");
    const QCommandLineOption checkpoint_opt("checkpoint", "Open a checkpoint in the explorer.", "FILE");
    const QCommandLineOption data_opt("data", "Data source: synthetic:N, a folder or an IDX file.", "SPEC");
    const QCommandLineOption out_opt("out", "Run folder for a new run.", "DIR");
    const QCommandLineOption train_opt("train", "Press Train once the data is scanned.");
    const QCommandLineOption shot_opt("screenshot", "Save the window as PNG, then quit.", "PNG");
    const QCommandLineOption after_opt("after", "Seconds of training (without --train: seconds after start-up) before the screenshot.", "S", "0");
    const QCommandLineOption tab_opt("tab", "Tab to show in the screenshot: train or explore.", "TAB", "train");
    const QCommandLineOption measure_opt("measure-responsiveness", "Time the event loop while training.", "S");
    const QCommandLineOption report_opt("report", "JSON file for --measure-responsiveness.", "FILE");
    const QCommandLineOption recipe_opt("recipe", "Training recipe for a new run: stable or dcgan.", "NAME");
    const QCommandLineOption pairs_opt("pairs", "Cross-validated G/D pairs for a new run.", "K", "1");
    QList<QCommandLineOption> field_opts;
    for (const char* name : {"image-size", "batch-size", "epochs", "ngf", "ndf", "seed"})
        field_opts.append(QCommandLineOption(name, QString("Setting %1 for a new run.").arg(name), "N"));
    parser.addOptions({run_opt, checkpoint_opt, data_opt, out_opt, train_opt, shot_opt, after_opt, tab_opt, measure_opt,
                       report_opt, recipe_opt, pairs_opt});
    parser.addOptions(field_opts);
    parser.addPositionalArgument("FILE", "Checkpoints (.llck, .pth) to explore or run folders to open, as a file manager passes them.",
                                 "[FILE...]");
    parser.process(app);

    latentlab::ui::MainWindow window;
    auto* setup = window.trainer()->setup();
    setup->loadSettings();
    if (parser.isSet(data_opt)) setup->setDataSource(parser.value(data_opt));
    if (parser.isSet(out_opt)) setup->setRunFolder(parser.value(out_opt));
    for (const auto& o : field_opts) {
        if (!parser.isSet(o)) continue;
        const QString name = o.names().first();
        if (name == "image-size") setup->findChild<QComboBox*>("imageSize")->setCurrentText(parser.value(o));
        else setup->field(QString(name).replace('-', '_'))->setText(parser.value(o));
    }
    if (parser.isSet(recipe_opt) || parser.isSet(pairs_opt))
        setup->recipeBox()->setRecipe(parser.isSet(recipe_opt) ? parser.value(recipe_opt) : QString(latentlab::kDefaultRecipe),
                                       parser.value(pairs_opt).toInt());
    if (parser.isSet(run_opt)) window.openRunFolder(parser.value(run_opt));
    if (parser.isSet(checkpoint_opt)) window.openCheckpoint(parser.value(checkpoint_opt));
    for (const QString& file : parser.positionalArguments()) {
        if (QFileInfo(file).isDir()) window.openRunFolder(file);
        else window.openCheckpoint(file);
    }
    window.show();

    latentlab::app::AutomationOptions automation;
    automation.train = parser.isSet(train_opt);
    automation.screenshot = parser.value(shot_opt);
    automation.after_seconds = parser.value(after_opt).toDouble();
    automation.tab = parser.value(tab_opt);
    automation.measure_seconds = parser.value(measure_opt).toDouble();
    automation.report = parser.value(report_opt);
    if (automation.train || !automation.screenshot.isEmpty() || automation.measure_seconds > 0)
        new latentlab::app::Automation(window, automation);
    return app.exec();
}
