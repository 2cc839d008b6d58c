"""Tag paragraphs with work categories: model, training, persistence, evaluation."""

from nlp.classification.model import ClassifyStage, DecisionRule, Prediction, Tagger
from nlp.classification.persistence import load_model, save_model

__all__ = ["ClassifyStage", "DecisionRule", "Prediction", "Tagger", "load_model", "save_model"]
