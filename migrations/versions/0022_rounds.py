"""review rounds, weighted criteria, scores per criterion, round entries and assignments

Revision ID: 0022
Revises: 0021
Create Date: 2026-11-29 22:10:00

Every call gets a default open round "Round 1" (scale 1–5, everyone reviews everything) with
one criterion "Overall" at 100 %; every existing review moves into it, its score becoming the
score of "Overall", and the round's averages (raw and normalised) are computed once. A review
now belongs to a round: one per juror, submission and round; its score is the weighted average
(a float, 1 to 10). Downgrade keeps the first round's reviews only (the old table held one per
juror and submission) with their scores rounded back to integers 1–5.
"""

from collections import defaultdict
from datetime import datetime, timezone
import math

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def _create_tables():
    op.create_table(
        'review_rounds',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('call_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=80), nullable=False),
        sa.Column('status', sa.Enum('draft', 'open', 'closed', name='roundstatus', native_enum=False, length=16), nullable=False),
        sa.Column('scale', sa.Integer(), nullable=False),
        sa.Column('show_earlier', sa.Boolean(), nullable=False),
        sa.Column('entry', sa.Enum('all', 'shortlisted', 'above', name='roundentry', native_enum=False, length=16), nullable=False),
        sa.Column('threshold', sa.Float(), nullable=True),
        sa.Column('assignment', sa.Enum('everyone', 'per_submission', name='assignmentmode', native_enum=False, length=16), nullable=False),
        sa.Column('jurors_per_submission', sa.Integer(), nullable=True),
        sa.Column('opened_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint('jurors_per_submission IS NULL OR (jurors_per_submission BETWEEN 1 AND 20)', name=op.f('ck_review_rounds_round_jurors_per_submission')),
        sa.CheckConstraint('scale IN (5, 10)', name=op.f('ck_review_rounds_round_scale')),
        sa.ForeignKeyConstraint(['call_id'], ['open_calls.id'], name=op.f('fk_review_rounds_call_id_open_calls'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_review_rounds')),
        sa.UniqueConstraint('call_id', 'name', name=op.f('uq_review_rounds_call_id_name')),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table('review_rounds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_rounds_call_id'), ['call_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_rounds_status'), ['status'], unique=False)

    op.create_table(
        'round_criteria',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('round_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=80), nullable=False),
        sa.Column('weight', sa.Integer(), nullable=False),
        sa.CheckConstraint('weight BETWEEN 1 AND 100', name=op.f('ck_round_criteria_criterion_weight')),
        sa.ForeignKeyConstraint(['round_id'], ['review_rounds.id'], name=op.f('fk_round_criteria_round_id_review_rounds'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_round_criteria')),
        sa.UniqueConstraint('round_id', 'name', name=op.f('uq_round_criteria_round_id_name')),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table('round_criteria', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_round_criteria_round_id'), ['round_id'], unique=False)

    op.create_table(
        'round_submissions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('round_id', sa.Integer(), nullable=False),
        sa.Column('submission_id', sa.Integer(), nullable=False),
        sa.Column('entered', sa.Boolean(), nullable=False),
        sa.Column('review_count', sa.Integer(), nullable=False),
        sa.Column('weighted', sa.Float(), nullable=True),
        sa.Column('normalised', sa.Float(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['round_id'], ['review_rounds.id'], name=op.f('fk_round_submissions_round_id_review_rounds'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], name=op.f('fk_round_submissions_submission_id_submissions'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_round_submissions')),
        sa.UniqueConstraint('round_id', 'submission_id', name=op.f('uq_round_submissions_round_id_submission_id')),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table('round_submissions', schema=None) as batch_op:
        batch_op.create_index('ix_round_submissions_round_weighted', ['round_id', 'weighted'], unique=False)
        batch_op.create_index(batch_op.f('ix_round_submissions_submission_id'), ['submission_id'], unique=False)

    op.create_table(
        'round_assignments',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('round_id', sa.Integer(), nullable=False),
        sa.Column('submission_id', sa.Integer(), nullable=False),
        sa.Column('juror_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['juror_id'], ['users.id'], name=op.f('fk_round_assignments_juror_id_users'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['round_id'], ['review_rounds.id'], name=op.f('fk_round_assignments_round_id_review_rounds'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], name=op.f('fk_round_assignments_submission_id_submissions'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_round_assignments')),
        sa.UniqueConstraint('round_id', 'submission_id', 'juror_id', name=op.f('uq_round_assignments_round_id_submission_id_juror_id')),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table('round_assignments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_round_assignments_juror_id'), ['juror_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_round_assignments_submission_id'), ['submission_id'], unique=False)

    op.create_table(
        'criterion_scores',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('review_id', sa.Integer(), nullable=False),
        sa.Column('criterion_id', sa.Integer(), nullable=False),
        sa.Column('score', sa.Integer(), nullable=False),
        sa.Column('comment', sa.Text(), nullable=False),
        sa.CheckConstraint('score BETWEEN 1 AND 10', name=op.f('ck_criterion_scores_criterion_score_range')),
        sa.ForeignKeyConstraint(['criterion_id'], ['round_criteria.id'], name=op.f('fk_criterion_scores_criterion_id_round_criteria'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['review_id'], ['reviews.id'], name=op.f('fk_criterion_scores_review_id_reviews'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_criterion_scores')),
        sa.UniqueConstraint('review_id', 'criterion_id', name=op.f('uq_criterion_scores_review_id_criterion_id')),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table('criterion_scores', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_criterion_scores_criterion_id'), ['criterion_id'], unique=False)


def _averages(scores):
    """(juror, submission, score) → {submission: (count, raw mean, normalised mean)}; the same
    maths as app.calls.rounds.normalise (kept here: a migration never imports the app)."""
    if not scores:
        return {}
    values = [s for _j, _s, s in scores]
    mean_all = sum(values) / len(values)
    spread_all = math.sqrt(sum((v - mean_all) ** 2 for v in values) / len(values))
    by_juror = defaultdict(list)
    for juror, _sub, score in scores:
        by_juror[juror].append(score)
    stats = {}
    for juror, own in by_juror.items():
        mean = sum(own) / len(own)
        spread = math.sqrt(sum((v - mean) ** 2 for v in own) / len(own))
        stats[juror] = (mean, spread) if len(own) >= 2 and spread > 0 else None
    raw = defaultdict(list)
    norm = defaultdict(list)
    for juror, sub, score in scores:
        raw[sub].append(score)
        stat = stats[juror]
        norm[sub].append(score if stat is None else mean_all + (score - stat[0]) / stat[1] * spread_all)
    return {sub: (len(raw[sub]), sum(raw[sub]) / len(raw[sub]), sum(norm[sub]) / len(norm[sub])) for sub in raw}


def upgrade():
    _create_tables()
    with op.batch_alter_table('reviews', schema=None, table_kwargs={'sqlite_autoincrement': True}) as batch_op:
        batch_op.add_column(sa.Column('round_id', sa.Integer(), nullable=True))

    bind = op.get_bind()
    now = datetime.now(timezone.utc)
    rounds = sa.table(
        'review_rounds',
        sa.column('id', sa.Integer), sa.column('call_id', sa.Integer), sa.column('position', sa.Integer),
        sa.column('name', sa.String), sa.column('status', sa.String), sa.column('scale', sa.Integer),
        sa.column('show_earlier', sa.Boolean), sa.column('entry', sa.String), sa.column('assignment', sa.String),
        sa.column('opened_at', sa.DateTime(timezone=True)), sa.column('created_at', sa.DateTime(timezone=True)),
    )
    criteria = sa.table(
        'round_criteria', sa.column('id', sa.Integer), sa.column('round_id', sa.Integer),
        sa.column('position', sa.Integer), sa.column('name', sa.String), sa.column('weight', sa.Integer),
    )
    reviews = sa.table(
        'reviews', sa.column('id', sa.Integer), sa.column('submission_id', sa.Integer),
        sa.column('juror_id', sa.Integer), sa.column('score', sa.Integer),
        sa.column('conflict_of_interest', sa.Boolean), sa.column('round_id', sa.Integer),
    )
    submissions = sa.table('submissions', sa.column('id', sa.Integer), sa.column('call_id', sa.Integer))
    scores = sa.table(
        'criterion_scores', sa.column('review_id', sa.Integer), sa.column('criterion_id', sa.Integer),
        sa.column('score', sa.Integer), sa.column('comment', sa.Text),
    )
    entries = sa.table(
        'round_submissions', sa.column('round_id', sa.Integer), sa.column('submission_id', sa.Integer),
        sa.column('entered', sa.Boolean), sa.column('review_count', sa.Integer),
        sa.column('weighted', sa.Float), sa.column('normalised', sa.Float),
        sa.column('created_at', sa.DateTime(timezone=True)),
    )
    call_ids = [row[0] for row in bind.execute(sa.text('SELECT id FROM open_calls ORDER BY id'))]
    for call_id in call_ids:
        bind.execute(rounds.insert().values(
            call_id=call_id, position=0, name='Round 1', status='open', scale=5, show_earlier=False,
            entry='all', assignment='everyone', opened_at=now, created_at=now,
        ))
    round_of = dict(bind.execute(sa.select(rounds.c.call_id, rounds.c.id)).all())
    for call_id, round_id in round_of.items():
        bind.execute(criteria.insert().values(round_id=round_id, position=0, name='Overall', weight=100))
    criterion_of = dict(bind.execute(sa.select(criteria.c.round_id, criteria.c.id)).all())

    rows = bind.execute(
        sa.select(reviews.c.id, reviews.c.juror_id, reviews.c.submission_id, reviews.c.score,
                  reviews.c.conflict_of_interest, submissions.c.call_id)
        .join(submissions, submissions.c.id == reviews.c.submission_id)
        .order_by(reviews.c.id)
    ).all()
    by_round = defaultdict(list)
    for review_id, juror_id, submission_id, score, conflict, call_id in rows:
        round_id = round_of[call_id]
        bind.execute(reviews.update().where(reviews.c.id == review_id).values(round_id=round_id))
        if score is not None and not conflict:
            bind.execute(scores.insert().values(
                review_id=review_id, criterion_id=criterion_of[round_id], score=score, comment='',
            ))
            by_round[round_id].append((juror_id, submission_id, float(score)))
    for round_id, found in by_round.items():
        for submission_id, (count, weighted, normalised) in _averages(found).items():
            bind.execute(entries.insert().values(
                round_id=round_id, submission_id=submission_id, entered=False, review_count=count,
                weighted=weighted, normalised=normalised, created_at=now,
            ))

    with op.batch_alter_table('reviews', schema=None, table_kwargs={'sqlite_autoincrement': True}) as batch_op:
        batch_op.alter_column('round_id', existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column('score', existing_type=sa.Integer(), type_=sa.Float(), existing_nullable=True)
        batch_op.drop_constraint('uq_reviews_submission_id_juror_id', type_='unique')
        batch_op.drop_constraint(op.f('ck_reviews_score_range'), type_='check')
        batch_op.create_check_constraint(op.f('ck_reviews_score_range'), 'score IS NULL OR (score BETWEEN 1 AND 10)')
        batch_op.create_unique_constraint(
            batch_op.f('uq_reviews_round_id_submission_id_juror_id'), ['round_id', 'submission_id', 'juror_id']
        )
        batch_op.create_index(batch_op.f('ix_reviews_round_id'), ['round_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reviews_submission_id'), ['submission_id'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_reviews_round_id_review_rounds'), 'review_rounds', ['round_id'], ['id'], ondelete='CASCADE'
        )


def downgrade():
    bind = op.get_bind()
    # The old table held one review per juror and submission: keep those of each call's first round.
    first = sa.text(
        'DELETE FROM reviews WHERE round_id NOT IN ('
        ' SELECT r.id FROM review_rounds r WHERE r.position = ('
        '  SELECT MIN(o.position) FROM review_rounds o WHERE o.call_id = r.call_id))'
        ' OR round_id IN (SELECT r.id FROM review_rounds r WHERE EXISTS ('
        '  SELECT 1 FROM review_rounds o WHERE o.call_id = r.call_id AND o.position = r.position AND o.id < r.id))'
    )
    bind.execute(first)
    # Scores on a 1–10 scale are brought back to 1–5, and rounded.
    bind.execute(sa.text(
        'UPDATE reviews SET score = ROUND(CASE WHEN (SELECT scale FROM review_rounds WHERE review_rounds.id = reviews.round_id) = 10'
        ' THEN 1 + (score - 1) * 4.0 / 9 ELSE score END) WHERE score IS NOT NULL'
    ))
    with op.batch_alter_table('reviews', schema=None, table_kwargs={'sqlite_autoincrement': True}) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_reviews_round_id_review_rounds'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_reviews_submission_id'))
        batch_op.drop_index(batch_op.f('ix_reviews_round_id'))
        batch_op.drop_constraint(batch_op.f('uq_reviews_round_id_submission_id_juror_id'), type_='unique')
        batch_op.drop_constraint(op.f('ck_reviews_score_range'), type_='check')
        batch_op.create_check_constraint(op.f('ck_reviews_score_range'), 'score IS NULL OR (score BETWEEN 1 AND 5)')
        batch_op.create_unique_constraint('uq_reviews_submission_id_juror_id', ['submission_id', 'juror_id'])
        batch_op.alter_column('score', existing_type=sa.Float(), type_=sa.Integer(), existing_nullable=True)
        batch_op.drop_column('round_id')
    with op.batch_alter_table('criterion_scores', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_criterion_scores_criterion_id'))
    op.drop_table('criterion_scores')
    with op.batch_alter_table('round_assignments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_round_assignments_submission_id'))
        batch_op.drop_index(batch_op.f('ix_round_assignments_juror_id'))
    op.drop_table('round_assignments')
    with op.batch_alter_table('round_submissions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_round_submissions_submission_id'))
        batch_op.drop_index('ix_round_submissions_round_weighted')
    op.drop_table('round_submissions')
    with op.batch_alter_table('round_criteria', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_round_criteria_round_id'))
    op.drop_table('round_criteria')
    with op.batch_alter_table('review_rounds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_rounds_status'))
        batch_op.drop_index(batch_op.f('ix_review_rounds_call_id'))
    op.drop_table('review_rounds')
