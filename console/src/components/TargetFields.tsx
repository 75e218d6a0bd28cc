import type { ApiError } from "../api/errors";
import { useI18n } from "../i18n";
import { Field } from "./ui";

/** "a, b ,, c" -> ["a", "b", "c"] */
export const parseTags = (text: string): string[] =>
  text
    .split(",")
    .map((tag) => tag.trim())
    .filter(Boolean);

/** A target's label and tags, as created and as edited. */
export function LabelAndTagsFields({
  idPrefix,
  label,
  tags,
  onLabel,
  onTags,
  error,
}: {
  idPrefix: string;
  label: string;
  tags: string;
  onLabel: (value: string) => void;
  onTags: (value: string) => void;
  error: ApiError | null;
}) {
  const { t } = useI18n();
  return (
    <>
      <Field id={`${idPrefix}-label`} label={t("target.field.label")} error={error?.problemFor("label")?.message}>
        {(props) => <input {...props} className="input" value={label} onChange={(e) => onLabel(e.target.value)} maxLength={200} />}
      </Field>
      <Field id={`${idPrefix}-tags`} label={t("target.field.tags")} error={error?.problemFor("tags")?.message}>
        {(props) => <input {...props} className="input" value={tags} onChange={(e) => onTags(e.target.value)} />}
      </Field>
    </>
  );
}
