// SPDX-License-Identifier: GPL-3.0-or-later
// The main Debian package (CPack, fixture package_build) unpacked into a
// scratch root with dpkg -x: it holds what it should, its programs find their
// libraries in the package and not in the build tree or the venv, and they
// run there, on the CPU, without the optional CUDA package.
#include <QtTest/QtTest>

namespace {

struct Run {
    int code = -1;
    QString out, err;
};

// Runs `program` with nothing of the build on the library path.
Run run(const QString& program, const QStringList& args, const QString& cwd = {}) {
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove("LD_LIBRARY_PATH");
    env.insert("QT_QPA_PLATFORM", "offscreen");
    env.insert("HOME", cwd.isEmpty() ? QDir::tempPath() : cwd);
    p.setProcessEnvironment(env);
    if (!cwd.isEmpty()) p.setWorkingDirectory(cwd);
    p.start(program, args);
    Run r;
    if (!p.waitForFinished(300000)) {
        r.err = program + " did not finish: " + p.errorString();
        return r;
    }
    r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

} // namespace

class TestPackage : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        const QDir packages(QStringLiteral(LATENTLAB_BINARY_DIR) + "/packages");
        const QStringList debs = packages.entryList({"latentlab_*.deb"}, QDir::Files);
        QVERIFY2(debs.size() == 1, qPrintable("expected one latentlab_*.deb in " + packages.path() + ", found " +
                                              debs.join(", ")));
        deb_ = packages.filePath(debs.front());
        QVERIFY(root_.isValid());
        const Run x = run("dpkg", {"-x", deb_, root_.path()});
        QVERIFY2(x.code == 0, qPrintable(x.err));
    }

    void control_fields_name_the_debian_libraries() {
        const Run r = run("dpkg-deb", {"-f", deb_, "Package", "Version", "Depends"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains("Package: latentlab\n"), qPrintable(r.out));
        QVERIFY2(r.out.contains("Version: " LATENTLAB_VERSION_TEXT), qPrintable(r.out));
        for (const char* dependency : {"libqt6widgets6", "libopencv-imgcodecs", "libprotobuf-lite", "zlib1g"})
            QVERIFY2(r.out.contains(dependency), qPrintable(QString("Depends lacks %1: %2").arg(dependency, r.out)));
        QVERIFY2(!r.out.contains("latentlab-cuda"), qPrintable(r.out));
    }

    void holds_the_programs_libraries_and_desktop_files() {
        const QDir usr(root_.path() + "/usr");
        for (const char* file : {"bin/latentlab-cli", "bin/latentlab", "lib/latentlab/libtorch_cpu.so",
                                 "lib/latentlab/libc10.so", "share/man/man1/latentlab-cli.1.gz",
                                 "share/applications/latentlab.desktop",
                                 "share/metainfo/io.github.latentlab.LatentLab.metainfo.xml",
                                 "share/icons/hicolor/scalable/apps/latentlab.svg",
                                 "share/icons/hicolor/256x256/apps/latentlab.png"})
            QVERIFY2(QFileInfo::exists(usr.filePath(file)), file);
        // The CUDA half is the optional package's.
        for (const char* file : {"lib/latentlab/libtorch_cuda.so", "lib/latentlab/libcublas.so.13"})
            QVERIFY2(!QFileInfo::exists(usr.filePath(file)), file);
    }

    void programs_load_their_libraries_from_the_package() {
        const QString cli = root_.path() + "/usr/bin/latentlab-cli";
        const Run d = run("readelf", {"-d", cli});
        QVERIFY2(d.code == 0, qPrintable(d.err));
        QVERIFY2(d.out.contains("[$ORIGIN/../lib/latentlab]"), qPrintable(d.out));
        QVERIFY2(!d.out.contains("libtorch_cuda.so"), qPrintable(d.out));
        const Run l = run("ldd", {cli});
        QVERIFY2(l.code == 0, qPrintable(l.err));
        QVERIFY2(!l.out.contains("not found"), qPrintable(l.out));
        // The programs find LibTorch through their RUNPATH, and LibTorch finds its own
        // neighbours through theirs ($ORIGIN), not through a CUDA toolkit on the machine.
        for (const char* lib : {"libtorch_cpu.so", "libc10.so", "libgomp.so.1", "libcudart.so.13", "libcupti.so.13"})
            QVERIFY2(l.out.contains(QString("%1 => %2/usr/bin/../lib/latentlab/%1").arg(lib, root_.path())),
                     qPrintable(QString("%1 not from the package:\n%2").arg(lib, l.out)));
        for (const QString& elsewhere : {QStringLiteral(LATENTLAB_BINARY_DIR), QStringLiteral(LATENTLAB_VENV_DIR)})
            QVERIFY2(!l.out.contains(elsewhere), qPrintable(elsewhere + " in\n" + l.out));
    }

    void programs_run_on_the_cpu_without_the_cuda_package() {
        const QString bin = root_.path() + "/usr/bin/";
        const Run v = run(bin + "latentlab-cli", {"--version"});
        QVERIFY2(v.code == 0, qPrintable(v.err));
        QVERIFY2(v.out.startsWith("latentlab-cli " LATENTLAB_VERSION_TEXT " (commit "), qPrintable(v.out));
        QVERIFY2(v.out.contains("CPU only (CUDA support not installed: libtorch_cuda.so"), qPrintable(v.out));
        const Run g = run(bin + "latentlab", {"--version"});
        QVERIFY2(g.code == 0, qPrintable(g.err));
        QVERIFY2(g.out.contains("CPU only (CUDA support not installed"), qPrintable(g.out));

        QTemporaryDir work;
        const Run t = run(bin + "latentlab-cli",
                          {"train", "--data", "synthetic:64", "--out", "run", "--image-size", "32", "--epochs", "1",
                           "--batch-size", "32", "--nz", "16", "--ngf", "8", "--ndf", "8", "--device", "cpu"},
                          work.path());
        QVERIFY2(t.code == 0, qPrintable(t.err + t.out));
        const Run s = run(bin + "latentlab-cli",
                          {"sample", "--checkpoint", "run/checkpoints/latest.llck", "--out", "grid.png", "--count", "4"},
                          work.path());
        QVERIFY2(s.code == 0, qPrintable(s.err + s.out));
        QVERIFY(QFileInfo(work.filePath("grid.png")).size() > 0);
        // Asked for CUDA, the CPU-only install says what is missing.
        const Run c = run(bin + "latentlab-cli",
                          {"train", "--data", "synthetic:64", "--out", "run2", "--image-size", "32", "--epochs", "1",
                           "--device", "cuda"},
                          work.path());
        QVERIFY2(c.code != 0 && c.err.contains("no CUDA support installed (the latentlab-cuda package)"),
                 qPrintable(c.err + c.out));
    }

private:
    QString deb_;
    QTemporaryDir root_;
};

QTEST_APPLESS_MAIN(TestPackage)
#include "test_package.moc"
