"""Writing translations and moving them through their review: every write is here, after the
role check. The rules are the entries' (bulletin.services.workflow): a reviewer approves, never
someone who wrote or edited the translation since its last approval; an edit of an approved
translation returns it to draft; a save names the version it was edited from."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bulletin.roles import Role, has_role, require
from bulletin.services.events import WorkflowError
from bulletin.services.workflow import four_eyes_relaxed
from bulletin.translation.languages import language_name, source_language, target_languages
from bulletin.translation.machine import (
    MachineError,
    Piece,
    machine_translate,
    provider_configured,
    provider_label,
)
from bulletin.translation.models import Translation, TranslationEvent
from bulletin.translation.units import SIMPLE_KINDS, SourceText, kind_of, source_texts

T = Translation.State
# Who writes the translations of each kind of unit (a reviewer reviews them all).
WRITERS = {
    "entry": (Role.AUTHOR, Role.EDITOR),
    "issue": (Role.EDITOR,),
    "bulletin": (Role.EDITOR,),
    "author": (Role.EDITOR,),
    "tag": (Role.EDITOR,),
    "jurisdiction": (Role.EDITOR,),
}
# The most text one translation may hold, all keys together (a unit's source is far smaller).
MAX_TOTAL_LENGTH = 1_000_000
TRANSITIONS = {
    # action: (sources, target, roles)
    "submit": ((T.DRAFT, T.CHANGES_REQUESTED), T.IN_REVIEW, None),
    "request_changes": ((T.IN_REVIEW,), T.CHANGES_REQUESTED, (Role.REVIEWER,)),
    "approve": ((T.IN_REVIEW,), T.APPROVED, (Role.REVIEWER,)),
}


class TranslationConflict(WorkflowError):
    """The translation was saved by someone else since the form was opened."""


_CONFLICT = gettext_lazy(
    "Someone saved this translation while you were editing it. Your changes were not saved: "
    "open it again and make them again."
)


def translation_get(*, subject, language: str, lock: bool = False) -> Translation | None:
    rows = Translation.objects.select_for_update() if lock else Translation.objects.all()
    return rows.filter(**{kind_of(subject): subject}, language=language).first()


def translation_check_write(*, user, subject, language: str) -> None:
    """Refuse unless the user may write this unit's translation into this language."""
    require(user, *WRITERS[kind_of(subject)])
    if language not in target_languages(subject):
        raise WorkflowError(
            _("%(language)s is not a language this is translated into.")
            % {"language": language_name(language)}
        )


def translation_can_write(*, user, subject, language: str) -> bool:
    try:
        translation_check_write(user=user, subject=subject, language=language)
    except (PermissionDenied, WorkflowError):
        return False
    return True


@transaction.atomic
def translation_save(
    *, subject, language: str, texts: dict[str, str], user, version: int | None
) -> Translation:
    """Save the user's translation of a unit (a new one when version is None). Only the unit's
    current keys are kept, each cleaned as its source column is (length, sanitized rich text).
    An approved translation that changed returns to draft; a tag's or a place's name is approved
    as it is saved."""
    translation_check_write(user=user, subject=subject, language=language)
    stored = translation_get(subject=subject, language=language, lock=True)
    _check_version(stored, version)
    translation = stored or Translation(**{kind_of(subject): subject}, language=language)
    if translation.state == T.IN_REVIEW:
        raise WorkflowError(_("A translation in review cannot be edited."))
    sources = source_texts(subject)
    cleaned = _cleaned(sources, texts)
    changed = stored is None or cleaned != stored.texts
    from_state = translation.state
    translation.texts = cleaned
    # A text a person changed is theirs: it is no longer the machine's draft.
    translation.machine = {k: v for k, v in translation.machine.items() if cleaned.get(k) == v}
    translation.version = (stored.version + 1) if stored else 1
    if changed:
        translation.last_edited_by = user
        translation.translator = translation.translator or user
    if kind_of(subject) in SIMPLE_KINDS:
        _approve(translation, user=user, sources=sources)
    elif changed and from_state == T.APPROVED:
        translation.state = T.DRAFT
    try:
        with transaction.atomic():
            translation.save()
    except IntegrityError as exc:  # a new one saved twice at once (a double click)
        raise TranslationConflict(_CONFLICT) from exc
    if changed:
        action = "edit" if from_state == T.APPROVED and stored else "save"
        _event(translation, user=user, action=action, from_state=from_state)
    return translation


def _check_version(stored: Translation | None, version: int | None) -> None:
    if (stored.version if stored else None) != version:
        raise TranslationConflict(_CONFLICT)


def _cleaned(sources: list[SourceText], texts: dict[str, str]) -> dict[str, str]:
    """The texts of the unit's keys, cleaned like their source columns; others are dropped."""
    cleaned, errors = {}, {}
    for source in sources:
        value = str(texts.get(source.key) or "").strip()
        if not value:
            continue
        try:
            value = source.field.clean(value, None)
        except ValidationError as exc:
            errors[source.key] = exc.messages
            continue
        if source.rich and not value.strip():
            continue
        cleaned[source.key] = value
    if errors:
        raise ValidationError(errors)
    if sum(len(v) for v in cleaned.values()) > MAX_TOTAL_LENGTH:
        raise ValidationError(_("This translation is too long."))
    return cleaned


def _approve(translation: Translation, *, user, sources: list[SourceText]) -> None:
    translation.state = T.APPROVED
    translation.reviewer = user
    translation.approved_at = timezone.now()
    translation.approved_source = {source.key: source.value for source in sources}
    translation.outdated = False


def _event(translation: Translation, *, user, action: str, from_state: str, comment: str = ""):
    return TranslationEvent.objects.create(
        translation=translation,
        actor=user,
        action=action,
        from_state=from_state,
        to_state=translation.state,
        comment=comment.strip(),
    )


def translation_transitions(*, user, translation: Translation | None) -> list[str]:
    """The steps this user may offer on this translation now (for the buttons)."""
    if translation is None or kind_of(translation.subject) in SIMPLE_KINDS:
        return []
    return [
        action
        for action, (sources, _target, roles) in TRANSITIONS.items()
        if _from_state_ok(translation, action, sources)
        and has_role(user, *_roles(translation, roles))
    ]


def _from_state_ok(translation: Translation, action: str, sources) -> bool:
    """A step starts from one of its states; an outdated approved translation may also be
    submitted again as it stands (its translator found it still fits the edited source)."""
    if translation.state in sources:
        return True
    return action == "submit" and translation.state == T.APPROVED and translation.outdated


def _roles(translation: Translation, roles) -> tuple[str, ...]:
    return roles or WRITERS[translation.subject_kind]


@transaction.atomic
def translation_transition(
    *,
    translation: Translation,
    user,
    action: str,
    comment: str = "",
    version: int | None = None,
    machine_checked: bool = False,
) -> Translation:
    """Submit, send back or approve a translation (four eyes: the approver neither wrote nor
    edited it since its last approval). Texts still as a machine wrote them are approved only
    when the reviewer says they read them as such (machine_checked)."""
    if action not in TRANSITIONS:
        raise WorkflowError(_("Unknown action."))
    sources_states, target, roles = TRANSITIONS[action]
    translation = Translation.objects.select_for_update().get(pk=translation.pk)
    if translation.subject_kind in SIMPLE_KINDS:
        raise WorkflowError(_("A name is approved as it is saved; it has no review."))
    require(user, *_roles(translation, roles))
    if version is not None and version != translation.version:
        raise TranslationConflict(
            _("It changed after you opened the page: read it again before you act on it.")
        )
    if not _from_state_ok(translation, action, sources_states):
        raise WorkflowError(
            _("Not possible while the state is “%(state)s”.")
            % {"state": translation.get_state_display()}
        )
    _check_step(translation, user=user, action=action, comment=comment)
    machine = _machine_labels(translation)
    if action == "approve" and machine:
        if not machine_checked:
            raise WorkflowError(
                _(
                    "These texts are still the machine's draft, unedited: %(texts)s. Read them "
                    "and confirm that you approve them as they are."
                )
                % {"texts": machine}
            )
        comment = "\n".join(
            filter(None, [comment.strip(), _("Approved with machine draft texts: %s") % machine])
        )
    from_state = translation.state
    translation.state = target
    if action == "approve":
        _approve(translation, user=user, sources=source_texts(translation.subject))
    translation.version += 1
    translation.save()
    _event(translation, user=user, action=action, from_state=from_state, comment=comment)
    return translation


def _check_step(translation: Translation, *, user, action: str, comment: str) -> None:
    if action == "request_changes" and not comment.strip():
        raise WorkflowError(_("Please give a comment or reason."))
    if action == "submit":
        missing = untranslated(translation)
        if missing:
            raise WorkflowError(
                _("Translate every text before you submit it: %(texts)s.")
                % {"texts": _(", ").join(source.label for source in missing)}
            )
    if action == "approve" and user.pk in contributors(translation) and not four_eyes_relaxed():
        raise PermissionDenied(
            _("Four-eyes rule: you cannot approve a translation you wrote or last edited.")
        )


def _machine_labels(translation: Translation) -> str:
    keys = set(translation.machine_keys)
    labels = [s.label for s in source_texts(translation.subject) if s.key in keys]
    return _(", ").join(labels)


def untranslated(translation: Translation) -> list[SourceText]:
    """The unit's source texts that have no translation yet."""
    return [s for s in source_texts(translation.subject) if not translation.texts.get(s.key)]


def contributors(translation: Translation) -> set[int]:
    """Who wrote it: its translator, its last editor and whoever saved it since its last
    approval (a later save by someone else does not launder an edit)."""
    ids = {translation.translator_id, translation.last_edited_by_id}
    saves = translation.events.filter(action__in=["save", "edit"])
    if translation.approved_at:
        last = translation.events.filter(action="approve").values("created_at")[:1]
        saves = saves.filter(created_at__gt=last) if last else saves
    ids |= set(saves.values_list("actor_id", flat=True))
    return ids - {None}


@transaction.atomic
def translations_source_changed(*, subject, user=None) -> list[Translation]:
    """After a save of the unit's source (the entry or issue save services call this): each
    approved translation whose source texts changed since its approval is marked outdated (and
    one whose source came back to the approved text is not any more). Other fields (a date, a
    tag, the order) change nothing."""
    rows = list(
        Translation.objects.select_for_update().filter(
            **{kind_of(subject): subject}, approved_source__isnull=False
        )
    )
    if not rows:  # nothing approved: the source texts need not be read
        return []
    current = {source.key: source.value for source in source_texts(subject)}
    marked = []
    for translation in rows:
        outdated = translation.approved_source != current
        if outdated == translation.outdated:
            continue
        translation.outdated = outdated
        translation.save(update_fields=["outdated", "updated_at"])
        if outdated:
            _event(translation, user=user, action="outdated", from_state=translation.state)
            marked.append(translation)
    return marked


def translation_machine_draft(
    *, subject, language: str, user, version: int | None
) -> tuple[Translation, list[str]]:
    """Fill the unit's untranslated texts with a machine translation service's draft, marked
    "machine draft" until a person edits them; a person's text is never replaced. The service
    is asked outside any transaction (no row is locked while it answers); the draft is written
    only if nobody saved the translation meanwhile. Returns the translation and the labels of
    the texts filled. MachineError, WorkflowError or PermissionDenied: nothing was written."""
    translation_check_write(user=user, subject=subject, language=language)
    if not provider_configured():
        raise WorkflowError(_("No machine translation service is configured."))
    stored = translation_get(subject=subject, language=language)
    _check_version(stored, version)
    if stored is not None and stored.state == T.IN_REVIEW:
        raise WorkflowError(_("A translation in review cannot be edited."))
    texts = stored.texts if stored else {}
    missing = [s for s in source_texts(subject) if not texts.get(s.key)]
    if not missing:
        raise WorkflowError(_("Every text is translated already: there is nothing to draft."))
    pieces = [Piece(s.key, s.value, s.rich) for s in missing]
    drafted = machine_translate(pieces, source=source_language(subject), target=language)
    return _write_machine_draft(subject, language, user, version, missing, drafted)


@transaction.atomic
def _write_machine_draft(subject, language, user, version, missing, drafted):
    stored = translation_get(subject=subject, language=language, lock=True)
    _check_version(stored, version)
    translation = stored or Translation(**{kind_of(subject): subject}, language=language)
    if translation.state == T.IN_REVIEW:
        raise WorkflowError(_("A translation in review cannot be edited."))
    cleaned = {}
    for source in missing:
        value = _machine_value(source, drafted.get(source.key, ""))
        if value and not translation.texts.get(source.key):
            cleaned[source.key] = value
    if not cleaned:
        raise MachineError(_("The machine translation service gave no usable text."))
    from_state = translation.state
    translation.texts = {**translation.texts, **cleaned}
    translation.machine = {**translation.machine, **cleaned}
    translation.version = (stored.version + 1) if stored else 1
    translation.last_edited_by = user
    translation.translator = translation.translator or user
    if kind_of(subject) in SIMPLE_KINDS:
        _approve(translation, user=user, sources=source_texts(subject))
    elif from_state == T.APPROVED and stored:
        translation.state = T.DRAFT
    try:
        with transaction.atomic():
            translation.save()
    except IntegrityError as exc:
        raise TranslationConflict(_CONFLICT) from exc
    labels = [s.label for s in missing if s.key in cleaned]
    comment = _("Machine draft (%(provider)s) of: %(texts)s") % {
        "provider": provider_label(),
        "texts": _(", ").join(labels),
    }
    _event(translation, user=user, action="machine", from_state=from_state, comment=comment)
    return translation, labels


def _machine_value(source: SourceText, value: str) -> str:
    """A machine text cleaned as a person's is: rich text through the same allow-list, plain
    text without markup (a provider may answer with tags where the source had none)."""
    value = str(value or "").strip()
    if not source.rich and "<" not in source.value:
        value = strip_tags(value).strip()
    if not value:
        return ""
    try:
        value = source.field.clean(value, None)
    except ValidationError:
        return ""  # emptied by sanitizing, or too long: left for a person
    return value if strip_tags(value).strip() else ""


@transaction.atomic
def translation_import(
    *, subject, language: str, texts: dict[str, str], review: dict, user
) -> Translation | None:
    """Write a translation carried by an imported document, with the state it had where it was
    exported: a draft, in review or changes requested as it was; approved only when the
    importing user is a reviewer (or the command line, which imports as the site's operator),
    else in review, for a reviewer here. The translator and reviewer named there are recorded
    in an "imported" event. A unit that already has a translation here keeps it (None)."""
    if user is not None:
        translation_check_write(user=user, subject=subject, language=language)
    elif language not in target_languages(subject):
        return None
    if translation_get(subject=subject, language=language, lock=True) is not None:
        return None
    sources = source_texts(subject)
    cleaned = _cleaned(sources, texts)
    if not cleaned:
        return None
    translation = Translation(**{kind_of(subject): subject}, language=language, texts=cleaned)
    translation.translator = translation.last_edited_by = user
    state = review.get("state") or T.DRAFT
    if state not in T.values:
        state = T.DRAFT
    if kind_of(subject) in SIMPLE_KINDS or (
        state == T.APPROVED and (user is None or has_role(user, Role.REVIEWER))
    ):
        _approve(translation, user=user, sources=sources)
        translation.reviewer = user
        if review.get("outdated"):
            # The source it was approved against is not in the document: the translation
            # stays outdated until its translator looks at it again.
            translation.approved_source, translation.outdated = {}, True
    else:
        translation.state = T.IN_REVIEW if state == T.APPROVED else state
    translation.save()
    _event(translation, user=user, action="import", from_state="", comment=_import_note(review))
    return translation


def _import_note(review: dict) -> str:
    lines = []
    if review.get("state"):
        lines.append(_("State there: %(state)s") % {"state": review["state"]})
    for name, label in (("translator", _("Translator")), ("reviewer", _("Reviewer"))):
        if review.get(name):
            lines.append(f"{label}: {str(review[name])[:200]}")
    for event in (review.get("history") or [])[:50]:
        if isinstance(event, dict):
            lines.append(
                " · ".join(
                    str(event.get(k) or "")[:300] for k in ("at", "by", "action", "to", "comment")
                )
            )
    return "\n".join(lines)[:5000]
