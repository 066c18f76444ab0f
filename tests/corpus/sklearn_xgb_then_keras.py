"""Baselines first (scikit-learn, XGBoost), then a small Keras net on the same arrays."""

import keras
import numpy as np
import xgboost as xgb
from sklearn.datasets import make_classification
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

X, y = make_classification(n_samples=5000, n_features=25, n_informative=10, random_state=0)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)

scaler = StandardScaler().fit(X_train)
X_train_s = scaler.transform(X_train).astype("float32")
X_test_s = scaler.transform(X_test).astype("float32")

forest = RandomForestClassifier(n_estimators=200, n_jobs=-1, random_state=0)
forest.fit(X_train, y_train)
print("random forest:", accuracy_score(y_test, forest.predict(X_test)))

booster = xgb.XGBClassifier(n_estimators=300, max_depth=4, learning_rate=0.1, eval_metric="logloss")
booster.fit(X_train, y_train, eval_set=[(X_test, y_test)], verbose=False)
print("xgboost:", accuracy_score(y_test, booster.predict(X_test)))

net = keras.Sequential(
    [
        keras.Input(shape=(X.shape[1],)),
        keras.layers.Dense(64, activation="relu"),
        keras.layers.Dense(32, activation="relu"),
        keras.layers.Dense(1, activation="sigmoid"),
    ]
)
net.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
net.fit(X_train_s, y_train, batch_size=64, epochs=20, validation_split=0.1, verbose=0)
probs = net.predict(X_test_s, batch_size=256, verbose=0).ravel()
print("keras mlp:", accuracy_score(y_test, probs > 0.5))

blend = (forest.predict_proba(X_test)[:, 1] + booster.predict_proba(X_test)[:, 1] + probs) / 3
print("blend:", accuracy_score(y_test, blend > 0.5))
