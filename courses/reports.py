"""Aggregates computed in the database. For now: item analysis of a quiz for editors."""

from django.db.models import Avg, Count, F, Q
from django.utils.html import strip_tags

from courses.models.quizzes import Attempt, AttemptAnswer, AttemptStatus


def quiz_item_analysis(quiz):
    """Attempts, pass rate and, per question, the share of fully right answers."""
    submitted = Attempt.objects.filter(
        quiz_key=quiz.translation_key, status=AttemptStatus.SUBMITTED
    )
    totals = submitted.aggregate(
        attempts=Count("id"), passed=Count("id", filter=Q(passed=True)), mean=Avg("score")
    )
    rows = (
        AttemptAnswer.objects.filter(attempt__in=submitted)
        .values("question_id")
        .annotate(answered=Count("id"), right=Count("id", filter=Q(points=F("max_points"))))
    )
    stats = {row["question_id"]: row for row in rows}
    current = {block.id: strip_tags(block.value["stem"].source) for block in quiz.questions}
    # Questions removed from the quiz since keep their row, labelled from a snapshot.
    removed = set(stats) - set(current)
    labels = dict(current)
    for question_id in sorted(removed):
        answer = (
            AttemptAnswer.objects.filter(attempt__in=submitted, question_id=question_id)
            .only("snapshot")
            .first()
        )
        labels[question_id] = strip_tags(answer.snapshot.get("stem", ""))
    questions = []
    for question_id, label in labels.items():
        row = stats.get(question_id, {"answered": 0, "right": 0})
        share = round(100 * row["right"] / row["answered"]) if row["answered"] else None
        questions.append(
            {
                "label": label,
                "answered": row["answered"],
                "share_right": share,
                "removed": question_id in removed,
            }
        )
    attempts = totals["attempts"]
    return {
        "attempts": attempts,
        "pass_rate": round(100 * totals["passed"] / attempts) if attempts else None,
        "mean_score": round(totals["mean"]) if totals["mean"] is not None else None,
        "questions": questions,
    }
