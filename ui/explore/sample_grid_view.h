// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>

#include <QColor>
#include <QHash>
#include <QImage>
#include <QList>
#include <QStringList>
#include <QWidget>

namespace latentlab::explore {

// The sample grid: the tiles of one seed's batch, tile i being SEED:i (the
// tooltip says so, as `latentlab-cli sample` numbers them). A click emits the
// tile's index; tiles already picked carry their group's colour and letter.
class SampleGridView : public QWidget {
    Q_OBJECT
public:
    explicit SampleGridView(QWidget* parent = nullptr);

    void setTiles(std::uint64_t seed, const QList<QImage>& tiles);
    // Tiles that are not SEED:INDEX (projected photos): each tooltip is its label.
    void setLabelledTiles(const QList<QImage>& tiles, const QStringList& labels);
    void clear();
    // Marks on tiles: index -> (colour, label), e.g. "A" or "A B".
    struct Mark {
        QColor colour;
        QString label;
    };
    void setMarks(const QHash<int, Mark>& marks);
    // A fixed number of columns (rows fill left to right); 0, the default,
    // lays the tiles out as `sample` does, as square as they go.
    void setColumns(int columns);
    // Shows the tiles in another order: order[k] is the tile drawn k-th
    // (indices and references stay the tiles' own); `notes` are added to the
    // tooltips (e.g. a score). Empty: the tiles' own order, no notes.
    void setOrder(const QList<int>& order, const QStringList& notes = {});
    int shownAt(int position) const { return order_.isEmpty() ? position : order_.value(position, -1); }

    std::uint64_t seed() const { return seed_; }
    int count() const { return static_cast<int>(tiles_.size()); }
    QImage tile(int index) const { return tiles_.value(index); }
    QString reference(int index) const;  // "SEED:INDEX", or the tile's label
    QRect tileRect(int index) const;     // where tile `index` is drawn
    int tileAt(const QPoint& pos) const; // -1 between tiles

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    void tileClicked(int index);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    bool event(QEvent* event) override;

private:
    int columns() const;
    int shownSize() const;

    std::uint64_t seed_ = 0;
    QList<QImage> tiles_;
    QStringList labels_;  // empty: tiles are SEED:INDEX
    QHash<int, Mark> marks_;
    int hovered_ = -1;
    int fixedColumns_ = 0;
    QList<int> order_;     // position -> tile; empty: identity
    QList<int> position_;  // tile -> position
    QStringList notes_;
};

} // namespace latentlab::explore
